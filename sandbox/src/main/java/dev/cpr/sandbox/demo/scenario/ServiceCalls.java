package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

/**
 * The services' REST calls the scenarios make, as an operator would with curl: bearer token, JSON in and out, the
 * expected status or an exception carrying the answer.
 */
final class ServiceCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** backup-service's row states after which nothing changes any more. */
    private static final Set<String> SETTLED = Set.of("verified", "corrupt", "failed");

    private ServiceCalls() {
    }

    static JsonNode send(String url, String method, String json, String token, int expected)
            throws IOException, InterruptedException {
        return send(url, method, json, token, expected, Duration.ofSeconds(30));
    }

    /** As {@link #send(String, String, String, String, int)}, for a call that answers only when its work has ended. */
    static JsonNode send(String url, String method, String json, String token, int expected, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return EventCodec.mapper().readTree(response.body());
    }

    /** {@code POST /api/v1/backups {"cluster","kind"}} as an operator: 202 with the in-progress row; its id. */
    static String startBackup(World world, String cluster, String kind) throws IOException, InterruptedException {
        JsonNode started = send(backups(world), "POST", "{\"cluster\":\"" + cluster + "\",\"kind\":\"" + kind + "\"}",
                world.tokens().operator(), 202);
        return started.get("backupId").asText();
    }

    /**
     * {@code POST /api/v1/backups {"cluster"}} as an operator (the cluster's own kind: an etcd snapshot), then waits
     * until its drill verified it: the verified row, with {@code backupId}, {@code revision} and {@code keyCount}.
     */
    static JsonNode takeVerifiedSnapshot(World world, String cluster, Duration timeout)
            throws IOException, InterruptedException {
        JsonNode started = send(backups(world), "POST", "{\"cluster\":\"" + cluster + "\"}", world.tokens().operator(),
                202);
        return awaitVerifiedBackup(backup(world, started.get("backupId").asText()), world.tokens().viewer(), timeout);
    }

    /** The backup row's URL. */
    static String backup(World world, String backupId) {
        return backups(world) + "/" + backupId;
    }

    private static String backups(World world) {
        return world.service(CprService.BACKUP_SERVICE).url() + "/api/v1/backups";
    }

    /** backup-service's listing of a cluster's change-log segments after {@code revision}. */
    static String changeLogSegments(World world, String cluster, long revision) {
        return world.service(CprService.BACKUP_SERVICE).url() + "/api/v1/changelog/" + cluster + "/segments?after="
                + revision;
    }

    /** The last revision in a {@link #changeLogSegments} listing; -1 when it cannot be read (yet). */
    static long changeLogEnd(World world, String segments) {
        return readSegments(world, segments, listing -> {
            long end = -1;
            for (JsonNode segment : listing) {
                end = Math.max(end, segment.path("lastRevision").asLong(-1));
            }
            return end;
        }, -1L);
    }

    /** {@code read} applied to a {@link #changeLogSegments} listing, or {@code unreadable} when it cannot be read. */
    private static <T> T readSegments(World world, String segments, Function<JsonNode, T> read, T unreadable) {
        try {
            return read.apply(send(segments, "GET", null, world.tokens().viewer(), 200));
        } catch (IOException | RuntimeException e) {
            return unreadable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreadable;
        }
    }

    /**
     * Waits until backup-service's change log follows the cluster's present history: a marker write shows up in a
     * segment closed after it was made. Called after the scenario's full snapshot (without one there is no chain to
     * follow), before the writes whose replay the scenario proves: after a restore (an earlier scenario's, say)
     * backup-service needs a few seconds to notice the new history and starts a new chain from a full snapshot of its
     * own, so writes made in between are in that snapshot, never in a segment, and an old chain's segments may still be
     * listed with revisions the restored cluster reaches again.
     *
     * @throws IllegalStateException when no marker is recorded within {@code timeout}
     */
    static void awaitChangeLogFollowing(World world, EtcdCluster etcd, String cluster, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long marker = -1;
        while (Instant.now().isBefore(deadline)) {
            Instant written = Instant.now();
            etcd.putKeys("/cpr-scenario/change-log-marker/", 1);
            marker = etcd.revision();
            String segments = changeLogSegments(world, cluster, marker - 1);
            long wanted = marker;
            if (Pause.until(() -> recordedAfter(world, segments, wanted, written), Duration.ofSeconds(5))) {
                return;
            }
        }
        throw new IllegalStateException("backup-service's change log of " + cluster + " did not record a marker write"
                + " (the last at revision " + marker + ") within " + timeout.toSeconds() + " s; is cpr.changelog.enabled"
                + " on?");
    }

    /** Whether a segment in the listing holds {@code revision} and was closed after {@code written}. */
    private static boolean recordedAfter(World world, String segments, long revision, Instant written) {
        return readSegments(world, segments, listing -> {
            for (JsonNode segment : listing) {
                boolean holds = segment.path("firstRevision").asLong(Long.MAX_VALUE) <= revision
                        && segment.path("lastRevision").asLong(-1) >= revision;
                if (holds && !Instant.parse(segment.path("closedAt").asText()).isBefore(written)) {
                    return true;
                }
            }
            return false;
        }, false);
    }

    /** {@code POST /api/v1/recoveries/<id>/approve} as an operator. */
    static void approve(World world, String planId, String reason) throws IOException, InterruptedException {
        send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/" + planId + "/approve", "POST",
                EventCodec.mapper().createObjectNode().put("reason", reason).toString(), world.tokens().operator(), 200);
    }

    /** Polls {@code GET url} (a backup row) until its status is verified, corrupt or failed; returns that row. */
    static JsonNode awaitSettledBackup(String url, String token, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode entry = null;
        while (Instant.now().isBefore(deadline)) {
            entry = send(url, "GET", null, token, 200);
            if (SETTLED.contains(entry.path("status").asText().toLowerCase())) {
                return entry;
            }
            Pause.millis(200);
        }
        throw new IllegalStateException("backup " + url + " did not settle within " + timeout.toSeconds() + " s: " + entry);
    }

    /** As {@link #awaitSettledBackup}, and it must be verified. */
    static JsonNode awaitVerifiedBackup(String url, String token, Duration timeout) throws IOException, InterruptedException {
        JsonNode entry = awaitSettledBackup(url, token, timeout);
        String status = entry.path("status").asText().toLowerCase();
        if (!"verified".equals(status)) {
            throw new IllegalStateException("the backup ended " + status + ": " + entry);
        }
        return entry;
    }
}
