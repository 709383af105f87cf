package dev.cpr.sandbox.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.sandbox.TestDirs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
                List.of(new PrometheusServer.Target("notifier", "127.0.0.1:" + service.getAddress().getPort())),
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
    void theConfigurationHasOneJobPerServiceOnItsMetricsPath() {
        String config = PrometheusServer.config(List.of(new PrometheusServer.Target("health-monitor", "127.0.0.1:1"),
                new PrometheusServer.Target("notifier", "127.0.0.1:2")), Duration.ofSeconds(1));

        assertThat(config).contains("rule_files: [cpr-rules.yml]", "job_name: health-monitor", "job_name: notifier",
                "metrics_path: /q/metrics", "targets: ['127.0.0.1:2']", "evaluation_interval: 1000ms");
    }
}
