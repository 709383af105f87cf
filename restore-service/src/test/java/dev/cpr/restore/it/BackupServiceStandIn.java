package dev.cpr.restore.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.EventCodec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for backup-service's REST API in this module's tests (backup-service cannot run inside
 * restore-service's test JVM): exactly the endpoints restore-service calls, with backup-service's
 * shapes ({@link BackupUpdate} JSON) and its bearer-token check: {@code GET /api/v1/backups?cluster=&status=},
 * {@code GET /api/v1/backups/{id}}, {@code GET /api/v1/backups/{id}/download} and {@code GET /api/v1/backups/{id}/v2}
 * (404: no v2 export), and of the change log {@code GET /api/v1/changelog/{cluster}/revision-at?time=} (the newest
 * change added with {@link #changeAt} at or before the time; 404 when none), {@code .../segments?after=&upTo=} and
 * {@code .../segments/{id}} (the segments added with {@link #addSegment}); a cluster named {@code down} answers 503.
 * The snapshots it serves are
 * real, taken by the test from the sandbox's etcd with jetcd. The e2e scenario {@code quorum-loss} runs the
 * real backup-service.
 */
public class BackupServiceStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "rs-test-backup-service-token";

    private record Entry(BackupUpdate update, Path file) {
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();
    /** Per cluster: when each recorded revision's change was seen. */
    private static final Map<String, java.util.NavigableMap<java.time.Instant, Long>> CHANGES =
            new ConcurrentHashMap<>();
    private static volatile int downloads;
    private HttpServer server;

    /** Serves this snapshot file as a catalog entry. */
    public static void add(BackupUpdate update, Path file) {
        ENTRIES.put(update.backupId(), new Entry(update, file));
    }

    /** Per cluster: stored change log segments by id (their first revision). */
    private static final Map<String, java.util.NavigableMap<Long, byte[]>> SEGMENTS = new ConcurrentHashMap<>();

    /** Serves these stored segment bytes (format CPRCHG) in the change log of their cluster. */
    public static void addSegment(byte[] stored) throws Exception {
        var segment = dev.cpr.contracts.changelog.SegmentCodec.decode(stored, null).segment();
        SEGMENTS.computeIfAbsent(segment.clusterId(), c -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .put(segment.firstRevision(), stored);
    }

    /** The change log of {@code cluster} saw {@code revision}'s change at {@code seenAt}. */
    public static void changeAt(String cluster, java.time.Instant seenAt, long revision) {
        CHANGES.computeIfAbsent(cluster, c -> new java.util.concurrent.ConcurrentSkipListMap<>()).put(seenAt, revision);
    }

    public static void clear() {
        ENTRIES.clear();
    }

    /** Forgets one snapshot and every change-log segment of its cluster: what a test added, not left for the next. */
    public static void forget(BackupUpdate update) {
        ENTRIES.remove(update.backupId());
        SEGMENTS.remove(update.clusterId());
    }

    public static int downloads() {
        return downloads;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the backup-service stand-in", e);
        }
        server.createContext("/api/v1/backups", this::handle);
        server.createContext("/api/v1/changelog", this::changeLog);
        server.start();
        return Map.of("cpr.restore.backup-service-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "cpr.restore.service-token", TOKEN);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/problem+json", "{\"status\":401,\"title\":\"Unauthorized\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/api/v1/backups".length());
            if (path.isEmpty() || path.equals("/")) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                List<BackupUpdate> list = ENTRIES.values().stream().map(Entry::update)
                        .filter(u -> !query.containsKey("cluster") || u.clusterId().equals(query.get("cluster")))
                        .filter(u -> !query.containsKey("status") || u.status().wire().equals(query.get("status")))
                        .sorted(Comparator.comparing(BackupUpdate::createdAt).reversed()).toList();
                send(exchange, 200, "application/json", EventCodec.mapper().writeValueAsString(list));
                return;
            }
            String[] parts = path.substring(1).split("/");
            Entry entry = ENTRIES.get(parts[0]);
            if (entry == null) {
                send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
            } else if (parts.length == 1) {
                send(exchange, 200, "application/json", EventCodec.mapper().writeValueAsString(entry.update()));
            } else if (!parts[1].equals("download")) {
                // GET /{id}/v2: these snapshots carry no v2 keyspace export
                send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
            } else if (entry.update().status() != BackupStatus.VERIFIED) {
                send(exchange, 409, "application/problem+json", "{\"status\":409,\"title\":\"Conflict\"}");
            } else {
                downloads++;
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.getResponseHeaders().add("X-Cpr-Sha256", entry.update().sha256());
                exchange.sendResponseHeaders(200, Files.size(entry.file()));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(entry.file(), out);
                }
            }
        }
    }

    /** {@code GET /api/v1/changelog/{cluster}/revision-at?time=}, as backup-service's {@code ChangeLogResource}. */
    private void changeLog(HttpExchange exchange) throws IOException {
        try (exchange) {
            answerChangeLog(exchange);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void answerChangeLog(HttpExchange exchange) throws Exception {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "application/problem+json", "{\"status\":401,\"title\":\"Unauthorized\"}");
            return;
        }
        String[] parts = exchange.getRequestURI().getPath().substring("/api/v1/changelog/".length()).split("/");
        Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
        if (parts[0].equals("down")) {
            send(exchange, 503, "application/problem+json", "{\"status\":503,\"title\":\"Unavailable\"}");
            return;
        }
        if (parts.length >= 2 && parts[1].equals("segments")) {
            segments(exchange, parts, params);
            return;
        }
        java.time.Instant time = java.time.OffsetDateTime.parse(params.get("time")).toInstant();
        var seen = CHANGES.getOrDefault(parts[0], new java.util.TreeMap<>()).floorEntry(time);
        if (parts.length != 2 || !parts[1].equals("revision-at") || seen == null) {
            send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
            return;
        }
        send(exchange, 200, "application/json", EventCodec.mapper().writeValueAsString(Map.of("clusterId",
                parts[0], "time", time.toString(), "revision", seen.getValue(), "changedAt",
                seen.getKey().toString(), "segmentId", seen.getValue())));
    }

    private static void segments(HttpExchange exchange, String[] parts, Map<String, String> params) throws Exception {
        var stored = SEGMENTS.getOrDefault(parts[0], new java.util.TreeMap<>());
        if (parts.length == 3) {
            byte[] bytes = stored.get(Long.parseLong(parts[2]));
            if (bytes == null) {
                send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().add("X-Cpr-Sha256", dev.cpr.kernel.Sha256.hex(bytes));
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return;
        }
        long after = Long.parseLong(params.getOrDefault("after", "0"));
        long upTo = Long.parseLong(params.getOrDefault("upTo", Long.toString(Long.MAX_VALUE)));
        List<Map<String, Object>> listed = new java.util.ArrayList<>();
        for (byte[] bytes : stored.values()) {
            var s = dev.cpr.contracts.changelog.SegmentCodec.decode(bytes, null).segment();
            if (s.lastRevision() > after && s.firstRevision() <= upTo) {
                listed.add(Map.of("id", s.firstRevision(), "firstRevision", s.firstRevision(), "lastRevision",
                        s.lastRevision(), "count", s.count(), "sha256", dev.cpr.kernel.Sha256.hex(bytes),
                        "sizeBytes", bytes.length, "openedAt", s.openedAt().toString(),
                        "lastChangeAt", s.lastChangeAt().toString(), "closedAt", s.closedAt().toString()));
            }
        }
        send(exchange, 200, "application/json", EventCodec.mapper().writeValueAsString(listed));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
