package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.AlertFiresScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        // measured from the stop request, which waits up to 10 s for notifier's graceful shutdown
        assertThat((Long) result.get("pending_ms")).as("pending after the first failed scrapes").isLessThan(30_000L);
        assertThat((Long) result.get("firing_ms")).as("firing once for: 1m has passed")
                .isBetween(60_000L, 90_000L);
        assertThat(result.get("resolved")).isEqualTo(true);
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(world.service(dev.cpr.sandbox.demo.launcher.CprService.NOTIFIER).isAlive()).as("notifier running again").isTrue();
    }

    @Test
    void everyQueryOfTheGrafanaDashboardRunsInTheSandboxPrometheus() throws Exception {
        World world = SharedWorld.get();
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "deploy", "grafana", "cpr-dashboard.json").toFile());
        List<String> failing = new ArrayList<>();
        int queries = 0;

        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Grafana's variables, as Grafana would fill them in
                String expr = target.path("expr").asText().replace("$cluster", ".*").replace("$__rate_interval", "1m");
                queries++;
                try {
                    world.prometheus().query(expr);
                } catch (IOException e) {
                    failing.add(panel.path("title").asText() + ": " + e.getMessage());
                }
            }
        }

        assertThat(queries).isGreaterThan(15);
        assertThat(failing).as("queries Prometheus refused").isEmpty();
        // and the panels over the services show them all
        // (the first scrapes may still be on their way when the world has just started)
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(world.prometheus().query("up{job=~\"health-monitor|backup-service|restore-service|notifier\"}"))
                        .hasSize(4));
    }
}
