package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What must hold before a scenario injects its fault. health-monitor keeps one open incident per
 * cluster and failure, so a fault injected while the last one is still open would be folded into it.
 */
public final class Preconditions {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Preconditions() {
    }

    /** Waits until health-monitor lists no open incident for the sandbox cluster. */
    public static void awaitNoOpenIncident(World world, Duration timeout) {
        awaitNoOpenIncident(world, world.sandbox().etcd().spec().id(), timeout);
    }

    /** Waits until health-monitor lists no open incident for the cluster. */
    public static void awaitNoOpenIncident(World world, String cluster, Duration timeout) {
        String url = world.service(CprService.HEALTH_MONITOR).url() + "/api/v1/incidents?state=OPEN&cluster="
                + URLEncoder.encode(cluster, StandardCharsets.UTF_8);
        String token = world.tokens().viewer();
        if (!Pause.until(() -> openIncidents(url, token) == 0, timeout)) {
            throw new IllegalStateException("cluster " + cluster + " still has an open incident after "
                    + timeout.toSeconds() + " s (" + url + ")");
        }
    }

    private static int openIncidents(String url, String token) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "application/json").header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            JsonNode body = EventCodec.mapper().readTree(response.body());
            return body.isArray() ? body.size() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
