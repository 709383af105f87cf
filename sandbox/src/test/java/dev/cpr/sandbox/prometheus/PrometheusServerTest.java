package dev.cpr.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.sandbox.TestDirs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sandbox's real Prometheus: it loads cpr's rules, scrapes a target's /q/metrics and answers queries. */
class PrometheusServerTest {

    private static final Path RULES = Path.of("..", "deploy", "prometheus", "cpr-rules.yml");

    private HttpServer service;
    private PrometheusServer prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void scrapesTheServiceMetricsAndLoadsCprsAlertRules() throws Exception {
        // given a service exposing a gauge at /q/metrics, which changes
        AtomicInteger pending = new AtomicInteger(3);
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/q/metrics", exchange -> {
            byte[] body = ("# TYPE cpr_notifier_outbox_pending gauge\ncpr_notifier_outbox_pending " + pending.get()
                    + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();

        // when the sandbox's Prometheus starts with it as the notifier job
        prometheus = PrometheusServer.start(TestDirs.fresh("prometheus"), RULES,
                List.of(new PrometheusServer.Target("notifier", "notifier-0",
                        "127.0.0.1:" + service.getAddress().getPort())),
                Duration.ofMillis(500));

        // then cpr's rules are loaded, the target is up and its value is read, and follows the service
        assertThat(prometheus.ruleGroups()).extracting(g -> g.path("name").asText()).contains("cpr");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode up = prometheus.query("up{job=\"notifier\"}");
            assertThat(up).hasSize(1);
            assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
            assertThat(prometheus.query("cpr_notifier_outbox_pending").get(0).path("value").get(1).asText())
                    .isEqualTo("3");
        });
        pending.set(0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                prometheus.query("cpr_notifier_outbox_pending").get(0).path("value").get(1).asText()).isEqualTo("0"));
    }

    @Test
    void aSecondReplicaAddedWhileItRunsIsScrapedUnderItsOwnReplicaLabel() throws Exception {
        // given Prometheus scraping one replica of the notifier
        service = metricsServer("cpr_notifier_outbox_pending 1\n");
        HttpServer second = metricsServer("cpr_notifier_outbox_pending 2\n");
        try {
            prometheus = PrometheusServer.start(TestDirs.fresh("prometheus"), RULES,
                    List.of(target("notifier-0", service)), Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(upByReplica()).containsExactlyEntriesOf(Map.of("notifier-0", "1")));

            // when the second replica is added, without a restart
            prometheus.scrape(List.of(target("notifier-0", service), target("notifier-1", second)));

            // then both are targets of the notifier job, each with its replica label and its own values
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(upByReplica()).containsExactlyInAnyOrderEntriesOf(Map.of("notifier-0", "1",
                        "notifier-1", "1"));
                Map<String, String> pending = new TreeMap<>();
                prometheus.query("cpr_notifier_outbox_pending").forEach(r -> pending.put(
                        r.path("metric").path("replica").asText(), r.path("value").get(1).asText()));
                assertThat(pending).containsExactlyInAnyOrderEntriesOf(Map.of("notifier-0", "1", "notifier-1", "2"));
            });

            // and when the second one stops answering it is down, the first still up
            second.stop(0);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(upByReplica()).containsExactlyInAnyOrderEntriesOf(Map.of("notifier-0", "1",
                            "notifier-1", "0")));
        } finally {
            second.stop(0);
        }
    }

    @Test
    void theConfigurationHasOneJobPerServiceReadingItsTargetsFile() {
        String config = PrometheusServer.config(List.of("health-monitor", "notifier"), Duration.ofSeconds(1));

        assertThat(config).contains("rule_files: [cpr-rules.yml]", "job_name: health-monitor", "job_name: notifier",
                "metrics_path: /q/metrics", "file_sd_configs: [{files: ['targets/notifier.json']",
                "evaluation_interval: 1000ms");
    }

    @Test
    void aJobsTargetsFileLabelsEachReplica() throws Exception {
        String json = PrometheusServer.targetsJson("notifier", List.of(
                new PrometheusServer.Target("health-monitor", "health-monitor-0", "127.0.0.1:1"),
                new PrometheusServer.Target("notifier", "notifier-0", "127.0.0.1:2"),
                new PrometheusServer.Target("notifier", "notifier-1", "127.0.0.1:3")));

        JsonNode groups = new ObjectMapper().readTree(json);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(1).path("targets").get(0).asText()).isEqualTo("127.0.0.1:3");
        assertThat(groups.get(1).path("labels").path("replica").asText()).isEqualTo("notifier-1");
    }

    private Map<String, String> upByReplica() throws Exception {
        Map<String, String> up = new TreeMap<>();
        prometheus.query("up{job=\"notifier\"}").forEach(r -> up.put(r.path("metric").path("replica").asText(),
                r.path("value").get(1).asText()));
        return up;
    }

    private static PrometheusServer.Target target(String replica, HttpServer server) {
        return new PrometheusServer.Target("notifier", replica, "127.0.0.1:" + server.getAddress().getPort());
    }

    private static HttpServer metricsServer(String metrics) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/metrics", exchange -> {
            byte[] body = ("# TYPE cpr_notifier_outbox_pending gauge\n" + metrics).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
