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
import java.util.Arrays;
import java.util.Set;

/**
 * Issue #3, item 9: a backup counts only once it is proven restorable, and a damaged copy is never mistaken for it.
 * Through backup-service's REST API (operator token): take a snapshot of the sandbox cluster and wait until its restore
 * drill made it {@code verified}; download it; then have three copies checked with the same drill
 * ({@code POST /api/v1/backups/{id}/check}: stored sha256, etcd's trailing sha256, {@code snapshot restore}, a scratch
 * etcd, revision and key count against the catalog): one with a byte flipped and one truncated must come back
 * {@code corrupt}, the intact one {@code verified}.
 */
public final class BackupVerifyScenario implements Scenario {

    public static final String NAME = "backup-verify";
    static final int KEYS = 2_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Set<String> SETTLED = Set.of("verified", "corrupt", "failed");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "issue #3: snapshot through backup-service, wait for its restore drill, then show a bit-flipped and a "
                + "truncated copy are both caught as corrupt";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        String api = world.service(CprService.BACKUP_SERVICE).url() + "/api/v1/backups";
        String token = world.tokens().operator();
        result.put("snapshot_ms", null).put("verified", false).put("corrupt_detected", 0);
        try {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            etcd.putKeys("/demo/" + NAME + "/", KEYS);

            Instant triggered = Instant.now();
            HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(api))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cluster\":\"" + clusterId + "\"}")), token);
            if (started.statusCode() != 202) {
                return result.put("error", "POST " + api + " answered " + started.statusCode() + ": " + started.body());
            }
            String id = json(started.body()).path("backupId").asText();
            result.put("backup_id", id);
            progress.say(NAME + ": backup " + id + " of " + clusterId + " started");

            Long snapshotMs = null;
            JsonNode backup = null;
            Instant deadline = triggered.plus(Duration.ofSeconds(120));
            while (Instant.now().isBefore(deadline)) {
                backup = json(send(HttpRequest.newBuilder(URI.create(api + "/" + id)).GET(), token).body());
                String status = backup.path("status").asText();
                if (snapshotMs == null && !"in-progress".equals(status)) {
                    snapshotMs = Duration.between(triggered, Instant.now()).toMillis();
                }
                if (SETTLED.contains(status)) {
                    break;
                }
                Thread.sleep(100);
            }
            long verifiedMs = Duration.between(triggered, Instant.now()).toMillis();
            String status = backup == null ? "unknown" : backup.path("status").asText();
            result.put("snapshot_ms", snapshotMs).put("verified", "verified".equals(status)).put("verified_ms", verifiedMs)
                    .put("size_bytes", backup == null ? null : backup.path("sizeBytes").asLong())
                    .put("key_count", backup == null ? null : backup.path("keyCount").asLong());
            if (!"verified".equals(status)) {
                return result.put("error", "backup " + id + " ended " + status + ": "
                        + (backup == null ? "" : backup.path("verification").asText()));
            }
            progress.say(NAME + ": backup " + id + " verified (" + backup.path("verification").asText() + ")");

            HttpResponse<byte[]> download = HTTP.send(authorized(HttpRequest.newBuilder(URI.create(api + "/" + id
                    + "/download")).GET(), token).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (download.statusCode() != 200) {
                return result.put("error", "download answered " + download.statusCode());
            }
            byte[] intact = download.body();
            byte[] flipped = intact.clone();
            flipped[flipped.length / 2] ^= 0x01;
            byte[] truncated = Arrays.copyOf(intact, intact.length - Math.min(4096, intact.length / 3));

            JsonNode flippedCheck = check(api, id, flipped, token);
            JsonNode truncatedCheck = check(api, id, truncated, token);
            JsonNode intactCheck = check(api, id, intact, token);
            int corrupt = ("corrupt".equals(flippedCheck.path("verdict").asText()) ? 1 : 0)
                    + ("corrupt".equals(truncatedCheck.path("verdict").asText()) ? 1 : 0);
            boolean intactVerified = "verified".equals(intactCheck.path("verdict").asText());
            result.put("corrupt_detected", corrupt)
                    .put("intact_copy", intactCheck.path("verdict").asText())
                    .put("flipped", flippedCheck.path("detail").asText())
                    .put("truncated", truncatedCheck.path("detail").asText());
            progress.say(NAME + ": flipped copy " + flippedCheck.path("verdict").asText() + ", truncated copy "
                    + truncatedCheck.path("verdict").asText() + ", intact copy " + intactCheck.path("verdict").asText());
            return result.ok(corrupt == 2 && intactVerified);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }

    /** {@code POST /api/v1/backups/{id}/check} with the copy as the body; the verdict JSON. */
    private static JsonNode check(String api, String id, byte[] copy, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/" + id + "/check"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(copy)), token);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("check of backup " + id + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return json(response.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token)
            throws IOException, InterruptedException {
        return HTTP.send(authorized(request, token).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return request.header("Accept", "application/json, application/problem+json, application/octet-stream")
                .header("Authorization", "Bearer " + token);
    }

    private static JsonNode json(String body) throws IOException {
        return EventCodec.mapper().readTree(body);
    }
}
