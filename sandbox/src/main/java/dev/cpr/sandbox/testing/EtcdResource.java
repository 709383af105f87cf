package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.etcd.EtcdCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh real etcd cluster (members {@code etcd-1..n}, local access) for each start of the Quarkus app
 * under test, stopped and its data deleted in {@link #stop()} (the members' log files stay in
 * {@code target/sandbox}). Sets {@code cpr.inventory.path} to an inventory holding just this cluster.
 *
 * <p>Init args ({@code @ResourceArg}): {@code members} (default 3), {@code cluster-id} (default
 * {@code sandbox}). The cluster starts in the background as soon as Quarkus initialises the resource.
 */
public class EtcdResource implements QuarkusTestResourceLifecycleManager {

    public static final String INVENTORY_PATH = "cpr.inventory.path";
    public static final String DEFAULT_CLUSTER_ID = "sandbox";

    private static final AtomicInteger STARTS = new AtomicInteger();
    private static final Set<EtcdCluster> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile EtcdCluster current;
    private static volatile Path currentInventory;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the JVM is going away; nothing better to do
            }
        }), "cpr-sandbox-etcd-stop"));
    }

    private int size = 3;
    private String clusterId = DEFAULT_CLUSTER_ID;
    private CompletableFuture<EtcdCluster> starting;
    private EtcdCluster cluster;

    /** The cluster of the running app under test. */
    public static EtcdCluster cluster() {
        EtcdCluster c = current;
        if (c == null) {
            throw new IllegalStateException("no etcd cluster is running: annotate the test class with "
                    + "@QuarkusTestResource(EtcdResource.class)");
        }
        return c;
    }

    /** The inventory file written for {@link #cluster()}. */
    public static Path inventoryPath() {
        cluster();
        return currentInventory;
    }

    @Override
    public void init(Map<String, String> args) {
        if (args.containsKey("members")) {
            size = Integer.parseInt(args.get("members"));
        }
        clusterId = args.getOrDefault("cluster-id", clusterId);
        starting = startCluster();
    }

    @Override
    public Map<String, String> start() {
        if (starting == null) {
            starting = startCluster();
        }
        try {
            cluster = starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        } finally {
            starting = null;
        }
        Path inventory = cluster.writeInventory(Path.of(cluster.members().get(0).dataDir())
                .resolveSibling("inventory.yaml"));
        currentInventory = inventory;
        current = cluster;
        return Map.of(INVENTORY_PATH, inventory.toString());
    }

    @Override
    public void stop() {
        if (starting != null) {
            starting.thenAccept(EtcdResource::stopAndDelete);
            starting = null;
        }
        if (cluster != null) {
            try {
                stopAndDelete(cluster);
            } finally {
                if (current == cluster) {
                    current = null;
                }
                cluster = null;
            }
        }
    }

    private CompletableFuture<EtcdCluster> startCluster() {
        Path dir = SandboxDirs.dir("etcd-" + STARTS.incrementAndGet());
        int members = size;
        String id = clusterId;
        return CompletableFuture.supplyAsync(() -> {
            EtcdCluster started = EtcdCluster.start(dir, id, members);
            RUNNING.add(started);
            return started;
        });
    }

    private static void stopAndDelete(EtcdCluster cluster) {
        try {
            cluster.close();
            cluster.deleteData();
        } finally {
            RUNNING.remove(cluster);
        }
    }
}
