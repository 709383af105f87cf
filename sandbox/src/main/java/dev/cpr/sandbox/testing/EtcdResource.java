package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.etcd.EtcdCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh real etcd cluster (members {@code etcd-1..n}, local access) for each start of the Quarkus app
 * under test, stopped and its data deleted in {@link #stop()} (the members' log files stay in
 * {@code target/sandbox}). Sets {@code cpr.inventory.path} to an inventory holding just this cluster.
 *
 * <p>Init args ({@code @ResourceArg}): {@code members} (default 3), {@code cluster-id} (default
 * {@code sandbox}).
 */
public class EtcdResource implements QuarkusTestResourceLifecycleManager {

    public static final String INVENTORY_PATH = "cpr.inventory.path";
    public static final String DEFAULT_CLUSTER_ID = "sandbox";

    private static final AtomicInteger STARTS = new AtomicInteger();
    private static volatile EtcdCluster current;
    private static volatile Path currentInventory;

    private int size = 3;
    private String clusterId = DEFAULT_CLUSTER_ID;
    private EtcdCluster cluster;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            EtcdCluster left = current;
            if (left != null) {
                left.close();
            }
        }, "cpr-sandbox-etcd-stop"));
    }

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
    }

    @Override
    public Map<String, String> start() {
        Path dir = SandboxDirs.dir("etcd").resolveSibling(
                SandboxDirs.dir("etcd").getFileName() + "-" + STARTS.incrementAndGet());
        cluster = EtcdCluster.start(dir, clusterId, size);
        Path inventory = cluster.writeInventory(dir.resolve("inventory.yaml"));
        currentInventory = inventory;
        current = cluster;
        return Map.of(INVENTORY_PATH, inventory.toString());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            try {
                cluster.close();
                cluster.deleteData();
            } finally {
                if (current == cluster) {
                    current = null;
                }
                cluster = null;
            }
        }
    }
}
