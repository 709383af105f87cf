package dev.cpr.backup.bench;

import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same comparison as {@link SnapshotBenchmark}, against the packaged service (not a test): a one-member sandbox
 * etcd filled to {@code --size-mb}, a sandbox PostgreSQL and Kafka, and {@code java -Xmx64m -jar
 * target/quarkus-app/quarkus-run.jar} with the production env vars. Alternates {@code etcdctl snapshot save} (process
 * wall time) and {@code POST /api/v1/backups}; for the service it takes the service's own figure from its log
 * ("completed ... in N ms": probe, stream, hashes, fsync, rename, second probe) and the client-observed time from the
 * POST until the entry is {@code completed}; each backup is drilled ({@code verified}) and deleted before the next
 * round. Heap used is sampled with {@code jstat -gc <pid> 50} while the service streams. With {@code --jar-before
 * <other quarkus-run.jar>} both builds run side by side against the same etcd and take turns each round (before/after
 * a change in one run); with {@code --jvm-before <flags>} the same build runs twice, with those flags and with
 * {@code --jvm}'s (flags comma-separated), to compare JVM settings side by side.
 */
public final class PackagedServiceBenchmark {

    private static final String TOKEN = "bench-operator-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern COMPLETED = Pattern.compile("backup ([0-9a-f-]{36}): completed from \\S+: (\\d+) bytes .* in (\\d+) ms");
    /** Where the service's time went, from the same log line (stream, second probe, fsync and rename). */
    private static final Pattern PHASES = Pattern.compile("backup ([0-9a-f-]{36}): completed .*; phases: (.*)$");

    private PackagedServiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMb = Long.parseLong(SnapshotBenchmark.option(args, "--size-mb", "512"));
        int rounds = Integer.parseInt(SnapshotBenchmark.option(args, "--rounds", "5"));
        String xmx = SnapshotBenchmark.option(args, "--xmx", "64m");
        Path jar = Path.of(SnapshotBenchmark.option(args, "--jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        String before = SnapshotBenchmark.option(args, "--jar-before", "");
        String jvmBefore = SnapshotBenchmark.option(args, "--jvm-before", "");
        // the same build twice with different JVM flags (--jvm-before against --jvm), or two builds with the same flags
        List<Path> jars = !before.isBlank() ? List.of(Path.of(before).toAbsolutePath(), jar)
                : !jvmBefore.isBlank() ? List.of(jar, jar) : List.of(jar);
        Path dir = Path.of(SnapshotBenchmark.option(args, "--dir", "target/bench-packaged")).toAbsolutePath();
        String extra = SnapshotBenchmark.option(args, "--jvm", "");
        jvmArgs = extra.isBlank() ? List.of() : List.of(extra.split(","));
        jvmArgsBefore = jvmBefore.isBlank() ? jvmArgs : List.of(jvmBefore.split(","));
        Files.createDirectories(dir);
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "bench", 1);
             PostgresServer postgres = PostgresServer.start(dir.resolve("pg"));
             KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            try {
                run(etcd, postgres, kafka, jars, xmx, sizeMb, rounds, dir);
            } finally {
                etcd.close();
                etcd.deleteData();
            }
        }
    }

    private static List<String> jvmArgs = List.of();
    /** The flags of the "before" service (the first of two); the same as {@link #jvmArgs} unless --jvm-before. */
    private static List<String> jvmArgsBefore = List.of();

    /** One running packaged service and what its log said. */
    private record Service(String name, Process process, String api, Map<String, Long> completedMs,
            Map<String, String> phases, List<Double> mbps,
            List<Double> clientMbps, long[] maxHeap) {
    }

    private static Service startService(String name, Path jar, List<String> flags, String xmx, Path inventory,
            PostgresServer postgres, KafkaBroker kafka, Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CPR_INVENTORY_PATH", inventory.toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("CPR_AUTH_TOKENS", "bench=operator:" + TOKEN);
        env.put("CPR_BACKUP_STORE_PATH", dir.resolve("store-" + name).toString());
        env.put("CPR_BACKUP_RETENTION_POLICY", "none");
        Process process = pb.start();
        Map<String, Long> completedMs = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, String> phases = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var log = Files.newBufferedWriter(dir.resolve("service-" + name + ".log"))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.write(line);
                    log.newLine();
                    log.flush();
                    Matcher m = COMPLETED.matcher(line);
                    if (m.find()) {
                        completedMs.put(m.group(1), Long.parseLong(m.group(3)));
                    }
                    Matcher p = PHASES.matcher(line);
                    if (p.find()) {
                        phases.put(p.group(1), p.group(2));
                    }
                }
            } catch (java.io.IOException ignored) {
                // the service stopped
            }
        }, "service-log-" + name);
        reader.setDaemon(true);
        reader.start();
        awaitReady(port, process);
        System.out.printf(Locale.ROOT, "service %s up (%s, pid %d, -Xmx%s %s)%n", name, jar, process.pid(), xmx,
                String.join(" ", flags));
        return new Service(name, process, "http://127.0.0.1:" + port + "/api/v1/backups", completedMs, phases,
                new ArrayList<>(),
                new ArrayList<>(), new long[1]);
    }

    private static void run(EtcdCluster etcd, PostgresServer postgres, KafkaBroker kafka, List<Path> jars, String xmx,
            long sizeMb, int rounds, Path dir) throws Exception {
        MemberSpec member = etcd.members().get(0);
        SnapshotBenchmark.fill(etcd, sizeMb * 1024 * 1024);
        Path inventory = etcd.writeInventory(dir.resolve("inventory.yaml"));
        List<Service> services = new ArrayList<>();
        try {
            for (int i = 0; i < jars.size(); i++) {
                services.add(startService(jars.size() == 1 ? "service" : i == 0 ? "before" : "after", jars.get(i),
                        jars.size() > 1 && i == 0 ? jvmArgsBefore : jvmArgs, xmx, inventory, postgres, kafka, dir));
            }
            List<Double> etcdctlMbps = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                Path file = dir.resolve("etcdctl.db");
                long t0 = System.nanoTime();
                ProcessBuilder save = new ProcessBuilder("etcdctl", "--endpoints", member.clientUrl(), "snapshot", "save",
                        file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("etcdctl.log").toFile());
                save.environment().put("ETCDCTL_API", "3");
                if (save.start().waitFor() != 0) {
                    throw new IllegalStateException(Files.readString(dir.resolve("etcdctl.log")));
                }
                double etcdctlSeconds = (System.nanoTime() - t0) / 1e9;
                long bytes = Files.size(file);
                Files.delete(file);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: etcdctl %.2f s (%.0f MB/s)",
                        round == 0 ? "warm-up" : "round " + round, etcdctlSeconds, bytes / 1e6 / etcdctlSeconds));
                if (round > 0) {
                    etcdctlMbps.add(bytes / 1e6 / etcdctlSeconds);
                }
                // alternate which service goes first, so neither always follows etcdctl
                List<Service> order = new ArrayList<>(services);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Service service : order) {
                    HeapSampler heap = HeapSampler.start(service.process().pid());
                    long t1 = System.nanoTime();
                    String id = field(send(HttpRequest.newBuilder(URI.create(service.api()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"cluster\":\"bench\"}"))), "backupId");
                    String status;
                    double clientSeconds = 0;
                    while (true) {
                        status = field(send(HttpRequest.newBuilder(URI.create(service.api() + "/" + id)).GET()), "status");
                        if (clientSeconds == 0 && !"in-progress".equals(status)) {
                            clientSeconds = (System.nanoTime() - t1) / 1e9;
                            heap.stop();
                        }
                        if (status.equals("verified") || status.equals("corrupt") || status.equals("failed")) {
                            break;
                        }
                        Thread.sleep(20);
                    }
                    long heapMax = heap.stop();
                    Thread.sleep(200); // the log line may trail the status change
                    Long ms = service.completedMs().get(id);
                    send(HttpRequest.newBuilder(URI.create(service.api() + "/" + id)).DELETE());
                    double seconds = ms == null ? Double.NaN : ms / 1000.0;
                    if (round > 0) {
                        service.mbps().add(bytes / 1e6 / seconds);
                        service.clientMbps().add(bytes / 1e6 / clientSeconds);
                        service.maxHeap()[0] = Math.max(service.maxHeap()[0], heapMax);
                    }
                    line.append(String.format(Locale.ROOT, " | %s %.2f s (%.0f MB/s, ratio %.2f), POST->completed %.2f s, %s,"
                                    + " heap max %.1f MB (%s)", service.name(), seconds, bytes / 1e6 / seconds,
                            etcdctlSeconds / seconds, clientSeconds, status, heapMax / 1048576.0,
                            service.phases().getOrDefault(id, "phases not logged")));
                }
                System.out.println(line);
            }
            double e = SnapshotBenchmark.median(etcdctlMbps);
            System.out.printf(Locale.ROOT, "%nmedian etcdctl %.0f MB/s%n", e);
            for (Service service : services) {
                double s = SnapshotBenchmark.median(service.mbps());
                double c = SnapshotBenchmark.median(service.clientMbps());
                System.out.printf(Locale.ROOT, "median %s %.0f MB/s (ratio %.3f), POST->completed %.0f MB/s (ratio %.3f); "
                        + "heap used max %.1f MB with -Xmx%s%n", service.name(), s, s / e, c, c / e,
                        service.maxHeap()[0] / 1048576.0, xmx);
                System.out.printf(Locale.ROOT, "{\"service\":\"%s\",\"etcdctl_mb_s\":%.1f,\"service_mb_s\":%.1f,"
                        + "\"ratio\":%.3f,\"client_ratio\":%.3f,\"heap_max_mb\":%.1f,\"xmx\":\"%s\"}%n", service.name(), e, s,
                        s / e, c / e, service.maxHeap()[0] / 1048576.0, xmx);
            }
        } finally {
            for (Service service : services) {
                service.process().destroy();
                service.process().waitFor();
            }
        }
    }

    private static void awaitReady(int port, Process service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited " + service.exitValue() + " (see service.log)");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service was not ready within 120 s");
    }

    private static String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) throws Exception {
        return dev.cpr.contracts.events.EventCodec.mapper().readTree(json).path(name).asText();
    }

    /** {@code jstat -gc <pid> 50}: heap used = S0U + S1U + EU + OU. */
    private static final class HeapSampler {
        private final Process jstat;
        private final AtomicLong max = new AtomicLong();
        private final AtomicBoolean stopped = new AtomicBoolean();

        private HeapSampler(long pid) throws java.io.IOException {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "50").start();
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream()))) {
                    String[] header = in.readLine().trim().split("\\s+");
                    List<String> cols = List.of(header);
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] v = line.trim().split("\\s+");
                        double kb = Double.parseDouble(v[cols.indexOf("S0U")]) + Double.parseDouble(v[cols.indexOf("S1U")])
                                + Double.parseDouble(v[cols.indexOf("EU")]) + Double.parseDouble(v[cols.indexOf("OU")]);
                        if (!stopped.get()) {
                            max.accumulateAndGet((long) (kb * 1024), Math::max);
                        }
                    }
                } catch (Exception ignored) {
                    // jstat ended
                }
            }, "jstat");
            t.setDaemon(true);
            t.start();
        }

        static HeapSampler start(long pid) throws java.io.IOException {
            return new HeapSampler(pid);
        }

        long stop() {
            stopped.set(true);
            jstat.destroy();
            return max.get();
        }
    }
}
