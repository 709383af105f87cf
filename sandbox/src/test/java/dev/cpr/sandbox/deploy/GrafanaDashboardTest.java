package dev.cpr.sandbox.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/cpr-dashboard.json} is importable as it is (Grafana's "Import dashboard" asks for the one
 * Prometheus data source it declares) and shows every metric the alert rules watch. That its queries parse is checked
 * against a real Prometheus in the e2e module ({@code AlertFiresScenarioIT}).
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "cpr-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(cpr_[a-z_]+?)(_count|_sum|_bucket)?\\b");

    @Test
    void declaresItsDataSourceAsAnImportInputAndUsesItInEveryQuery() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("__inputs").findValuesAsText("name")).containsExactly("DS_PROMETHEUS");
        assertThat(dashboard.path("uid").asText()).isEqualTo("cpr-overview");
        assertThat(dashboard.path("id").isNull()).as("no instance id: import assigns one").isTrue();
        List<JsonNode> queries = queries(dashboard);
        assertThat(queries).hasSizeGreaterThan(15);
        assertThat(queries).allSatisfy(q -> {
            assertThat(q.path("expr").asText()).isNotBlank();
            assertThat(q.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        });
    }

    @Test
    void panelIdsAreUniqueAndEveryPanelHasAPlace() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s unique", panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title").asText()).isBetween(1, 24);
            assertThat(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt()).isLessThanOrEqualTo(24);
        }
        assertThat(dashboard.path("panels").findValuesAsText("title"))
                .contains("Clusters", "Incidents", "Recovery plans", "Backups");
    }

    @Test
    void showsEveryMetricTheAlertRulesWatch() throws IOException {
        Set<String> inDashboard = metrics(Files.readString(DASHBOARD));
        Set<String> inRules = metrics(Files.readString(PrometheusRulesTest.PROMETHEUS.resolve("cpr-rules.yml")));

        assertThat(inDashboard).containsAll(inRules);
    }

    static List<JsonNode> queries(JsonNode dashboard) {
        List<JsonNode> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(queries::add);
        }
        return queries;
    }

    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
