package dev.cpr.sandbox;

import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The whole local world in one object: a 3-member etcd cluster ({@code sandbox}, members
 * {@code etcd-1..3}, serving client and peer traffic over mutual TLS unless plain HTTP is asked for), a Kafka
 * broker and a PostgreSQL server, started in parallel under one base directory, with the inventory written to
 * {@code <baseDir>/inventory.yaml}.
 *
 * <p>Lifetimes differ: the etcd members and the Kafka broker are separate processes that outlive this JVM
 * until {@link #close()} or {@link #stop(SandboxDescription)} stops them; PostgreSQL (zonky) is stopped by
 * a shutdown hook of the JVM that started it, so it ends with that JVM (unless that JVM is killed, in
 * which case {@link #stop(SandboxDescription)} stops it through its {@code postmaster.pid}).
 */
public final class Sandbox implements AutoCloseable {

    public static final String CLUSTER_ID = "sandbox";
    public static final int ETCD_MEMBERS = 3;
    /**
     * The sandbox cluster's {@code --quota-backend-bytes}: small, so the space-exhausted scenario fills it in seconds,
     * and still several times what the other scenarios' keys take (21,000 keys of about 100 bytes: a few MiB).
     */
    public static final long QUOTA_BACKEND_BYTES = 64L * 1024 * 1024;
    /**
     * The sandbox cluster serves mutual TLS ({@link EtcdCluster#startTls}) by default, as kubespray and PKS clusters
     * do; {@code -Dcpr.sandbox.tls=false} (or {@code CPR_SANDBOX_TLS=false}; {@code ./cpr demo --plain}) starts it
     * over plain HTTP, which cpr must keep reaching too.
     */
    public static final String TLS_PROPERTY = "cpr.sandbox.tls";
    public static final String TLS_ENV = "CPR_SANDBOX_TLS";

    private final Path baseDir;
    private final EtcdCluster etcd;
    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final Path inventoryPath;

    private Sandbox(Path baseDir, EtcdCluster etcd, KafkaBroker kafka, PostgresServer postgres, Path inventoryPath) {
        this.baseDir = baseDir;
        this.etcd = etcd;
        this.kafka = kafka;
        this.postgres = postgres;
        this.inventoryPath = inventoryPath;
    }

    /**
     * Starts etcd ({@code baseDir/etcd}), Kafka ({@code baseDir/kafka}) and PostgreSQL ({@code baseDir/postgres})
     * in parallel. If one fails, the others are stopped and the first failure is thrown.
     */
    public static Sandbox start(Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "cpr-sandbox-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<String> flags = List.of("--quota-backend-bytes=" + QUOTA_BACKEND_BYTES);
            boolean tls = tlsEnabled();
            CompletableFuture<EtcdCluster> etcd = async(pool, () -> tls
                    ? EtcdCluster.startTls(base.resolve("etcd"), CLUSTER_ID, ETCD_MEMBERS, flags, 365)
                    : EtcdCluster.start(base.resolve("etcd"), CLUSTER_ID, ETCD_MEMBERS, flags));
            CompletableFuture<KafkaBroker> kafka = async(pool, () -> KafkaBroker.start(base.resolve("kafka")));
            CompletableFuture<PostgresServer> postgres = async(pool,
                    () -> PostgresServer.start(base.resolve("postgres")));
            try {
                CompletableFuture.allOf(etcd, kafka, postgres).join();
            } catch (CompletionException e) {
                List<AutoCloseable> started = new ArrayList<>();
                etcd.thenAccept(started::add).exceptionally(x -> null).join();
                kafka.thenAccept(started::add).exceptionally(x -> null).join();
                postgres.thenAccept(started::add).exceptionally(x -> null).join();
                for (AutoCloseable c : started) {
                    closeQuietly(c);
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("cannot start the sandbox: " + cause, cause);
            }
            Path inventory = etcd.join().writeInventory(base.resolve("inventory.yaml"));
            return new Sandbox(base, etcd.join(), kafka.join(), postgres.join(), inventory);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Whether the sandbox cluster is to serve mutual TLS: {@value #TLS_PROPERTY}, else {@value #TLS_ENV}, else yes.
     *
     * @throws IllegalArgumentException for a value other than true or false, naming where it came from
     */
    public static boolean tlsEnabled() {
        String property = System.getProperty(TLS_PROPERTY);
        String value = property != null ? property : System.getenv(TLS_ENV);
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException((property != null ? "-D" + TLS_PROPERTY : TLS_ENV) + "='"
                    + value + "': expected true or false");
        };
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public Path inventoryPath() {
        return inventoryPath;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** Every endpoint, pid, data dir and log file, as it is now. */
    public SandboxDescription describe() {
        List<SandboxDescription.EtcdMember> members = etcd.members().stream().map(m -> {
            LocalEtcdMember local = etcd.localMember(m.name());
            var pid = etcd.pid(m.name());
            return new SandboxDescription.EtcdMember(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(),
                    local.pidFile().toString(), local.logFile().toString(),
                    pid.isPresent() ? pid.getAsLong() : null);
        }).toList();
        return new SandboxDescription(
                baseDir.toString(),
                inventoryPath.toString(),
                ProcessHandle.current().pid(),
                new SandboxDescription.Etcd(etcd.spec().id(), etcd.clientEndpoints(), members),
                new SandboxDescription.Kafka(kafka.bootstrapServers(), kafka.pid(), kafka.pidFile().toString(),
                        kafka.logFile().toString(), kafka.dataDir().toString()),
                new SandboxDescription.Postgres(postgres.jdbcUrl(), postgres.reactiveUrl(), postgres.username(),
                        postgres.password(), postgres.port(), postgres.dataDir().toString(),
                        postgres.pid().orElse(null)));
    }

    /**
     * Stops the processes of a sandbox described by {@link #describe()}, from any JVM: the etcd members
     * through their pid files, Kafka by its pid, PostgreSQL through its {@code postmaster.pid} (if its
     * starting JVM has not already stopped it). Processes already gone are skipped.
     *
     * @throws IllegalStateException listing what could not be stopped, after trying everything
     */
    public static void stop(SandboxDescription description) {
        List<String> failures = new ArrayList<>();
        if (description.kafka() != null) {
            try {
                KafkaBroker.stop(description.kafka().pid());
            } catch (RuntimeException e) {
                failures.add("kafka (pid " + description.kafka().pid() + "): " + e.getMessage());
            }
        }
        if (description.etcd() != null) {
            for (SandboxDescription.EtcdMember m : description.etcd().members()) {
                MemberSpec spec = new MemberSpec(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(),
                        NodeAccess.local(null, m.pidFile(), m.logFile()));
                try {
                    new LocalEtcdMember(spec).stop(Duration.ofSeconds(5));
                } catch (IOException | RuntimeException e) {
                    failures.add(m.name() + ": " + e.getMessage());
                }
            }
        }
        if (description.postgres() != null) {
            try {
                PostgresServer.stop(Path.of(description.postgres().dataDir()));
            } catch (RuntimeException e) {
                failures.add("postgres: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not stop every sandbox process: " + failures);
        }
    }

    /** Stops Kafka, the etcd members and PostgreSQL. Data directories are kept. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (AutoCloseable c : List.<AutoCloseable>of(kafka, etcd, postgres)) {
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not stop every sandbox process: " + failures);
        }
    }

    private static <T> CompletableFuture<T> async(ExecutorService pool, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, pool);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing; the start-up error is the one to report
        }
    }
}
