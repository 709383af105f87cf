package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.recovery.PlanState;
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
import java.util.Set;

/**
 * What must hold before a scenario injects its fault. health-monitor keeps one open incident per
 * cluster and failure (MEMBER_UNHEALTHY: per member set), so a fault injected while the last one is still open
 * would be folded into it.
 */
public final class Preconditions {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A plan in one of these states may still act on the cluster (a proposal once someone starts it). */
    private static final Set<String> BUSY = Set.of(PlanState.RUNNING.name(), PlanState.PROPOSED.name());

    private Preconditions() {
    }

    /** {@link #awaitQuiet(World, String, Duration)} for the sandbox cluster. */
    public static void awaitQuiet(World world, Duration timeout) {
        awaitQuiet(world, world.sandbox().etcd().spec().id(), timeout);
    }

    /**
     * Waits until health-monitor lists no open incident for the cluster and restore-service runs no plan on it. An
     * incident resolves as soon as the members answer, while its plan still verifies the cluster: a fault injected
     * then fails that plan's verification, and its own incident waits behind it (one plan per cluster at a time).
     */
    public static void awaitQuiet(World world, String cluster, Duration timeout) {
        String encoded = URLEncoder.encode(cluster, StandardCharsets.UTF_8);
        String incidents = world.url(CprService.HEALTH_MONITOR) + "/api/v1/incidents?state=OPEN&cluster="
                + encoded;
        String plans = world.url(CprService.RESTORE_SERVICE) + "/api/v1/recoveries?cluster=" + encoded;
        String token = world.tokens().viewer();
        if (!Pause.until(() -> openIncidents(incidents, token) == 0, timeout)) {
            throw new IllegalStateException("cluster " + cluster + " still has an open incident after "
                    + timeout.toSeconds() + " s (" + incidents + ")");
        }
        if (!Pause.until(() -> runningPlans(plans, token) == 0, timeout)) {
            throw new IllegalStateException("cluster " + cluster + " still has a plan running or proposed after "
                    + timeout.toSeconds() + " s (" + plans + ")");
        }
    }

    /**
     * Waits until health-monitor shows its stream to every member of the cluster open ({@code streamOpen}): a fault
     * injected before is found by the polls, seconds later than a stream signals it, and the scenario's detection time
     * would measure health-monitor's start (its lease taken, its streams opened) instead of its detection. Behind a
     * front of replicas, the one holding the cluster answers it; the others say null and are asked again.
     *
     * @return whether they were open in time (the scenario goes on either way; with the streams off they never are)
     */
    public static boolean awaitStreamsOpen(World world, String cluster, Duration timeout) {
        String url = world.url(CprService.HEALTH_MONITOR) + "/api/v1/clusters";
        String token = world.tokens().viewer();
        return Pause.until(() -> everyStreamOpen(read(url, token), cluster), timeout);
    }

    private static boolean everyStreamOpen(JsonNode clusters, String cluster) {
        if (clusters == null || !clusters.isArray()) {
            return false;
        }
        for (JsonNode view : clusters) {
            if (cluster.equals(view.path("id").asText())) {
                JsonNode members = view.path("members");
                if (!members.isArray() || members.isEmpty()) {
                    return false;
                }
                for (JsonNode member : members) {
                    if (!member.path("streamOpen").asBoolean(false)) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static int runningPlans(String url, String token) {
        JsonNode plans = read(url, token);
        if (plans == null || !plans.isArray()) {
            return -1;
        }
        int running = 0;
        for (JsonNode plan : plans) {
            if (BUSY.contains(plan.path("state").asText())) {
                running++;
            }
        }
        return running;
    }

    private static int openIncidents(String url, String token) {
        JsonNode body = read(url, token);
        return body != null && body.isArray() ? body.size() : -1;
    }

    /** The JSON a service answers with, or null when it did not answer 200. */
    private static JsonNode read(String url, String token) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "application/json").header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? EventCodec.mapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
