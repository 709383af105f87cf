package dev.cpr.sandbox.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cpr's alert rules ({@code deploy/prometheus/cpr-rules.yml}) through Debian's {@code promtool}: they load, and every
 * alert passes its unit tests ({@code cpr-rules.test.yml}), each of which has at least one case where it fires.
 */
class PrometheusRulesTest {

    static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theRulesLoadInPrometheus() throws Exception {
        Run run = promtool("check", "rules", "cpr-rules.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertPassesItsPromtoolUnitTests() throws Exception {
        Run run = promtool("test", "rules", "cpr-rules.test.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasATestCaseWhereItFires() throws IOException {
        Set<String> alerts = alertNames(YAML.readTree(PROMETHEUS.resolve("cpr-rules.yml").toFile()));
        Set<String> firedInTests = new TreeSet<>();
        for (JsonNode test : YAML.readTree(PROMETHEUS.resolve("cpr-rules.test.yml").toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firedInTests.add(check.path("alertname").asText());
                }
            }
        }

        assertThat(alerts).contains("CprServiceDown", "CprBackupRpoBreached", "CprBackupFailed", "CprBackupCorrupt",
                "CprRecoveryPlanFailed", "CprPlanAwaitingApprovalTooLong", "CprIncidentOpenTooLong",
                "CprNotifierOutboxBacklog");
        assertThat(firedInTests).containsExactlyInAnyOrderElementsOf(alerts);
    }

    static Set<String> alertNames(JsonNode rulesFile) {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : rulesFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.hasNonNull("alert")) {
                    names.add(rule.get("alert").asText());
                }
            }
        }
        return names;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Run(process.exitValue(), output);
    }
}
