package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.cli.World;
import dev.cpr.sandbox.scenario.AlertFiresScenario;
import dev.cpr.sandbox.scenario.ScenarioResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #12, item 4, as `./cpr demo --scenario alert-fires` runs it: cpr's alert rules in a real Prometheus. */
class AlertFiresScenarioIT {

    @Test
    void aStoppedServiceFiresCprServiceDownAfterItsMinuteAndResolvesWhenItIsBack() {
        World world = SharedWorld.get();

        ScenarioResult result = new AlertFiresScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat((List<?>) result.get("rule_metrics_missing")).as("metrics the rules use, absent in Prometheus")
                .isEmpty();
        assertThat((Long) result.get("pending_ms")).as("pending after the first failed scrapes").isLessThan(10_000L);
        assertThat((Long) result.get("firing_ms")).as("firing once for: 1m has passed")
                .isBetween(60_000L, 75_000L);
        assertThat(result.get("resolved")).isEqualTo(true);
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(world.service(dev.cpr.sandbox.cli.CprService.NOTIFIER).isAlive()).as("notifier running again").isTrue();
    }
}
