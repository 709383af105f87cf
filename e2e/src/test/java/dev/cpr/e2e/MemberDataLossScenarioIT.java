package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.MemberDataLossScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/** Seed 001, as `./cpr demo --scenario member-data-loss` runs it. */
class MemberDataLossScenarioIT {

    @Test
    void aMemberThatLostItsWalIsReplacedWithinFifteenSecondsWithoutLosingAKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new MemberDataLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before")).isGreaterThanOrEqualTo(10_000L);
        assertThat((Long) result.get("detected_ms")).isPositive().isLessThan(10_000L);
        assertThat((Long) result.get("recovered_ms")).isLessThan(15_000L);
        assertThat((Integer) result.get("slack_messages")).as("Slack messages for the incident").isGreaterThanOrEqualTo(2);
    }
}
