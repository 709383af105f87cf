package dev.cpr.backup.it;

import dev.cpr.contracts.inventory.BackupPolicy;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The etcd side of the test world: the sandbox's 3-member cluster {@code sandbox} (through {@link EtcdResource}, so
 * {@code EtcdResource.cluster()} works) and a 1-member cluster {@code legacy} started with {@code --enable-v2}, in one
 * inventory whose {@code backup:} sections carry the policies the tests rely on:
 * <ul>
 *   <li>{@code sandbox}: cron {@code 0/20 * * * * ?}, RPO 1 h;</li>
 *   <li>{@code legacy}: v2 data, gzip, RPO {@value #LEGACY_RPO} (short, so the RPO incident opens and resolves
 *       while the tests run), no incident snapshots.</li>
 * </ul>
 */
public class BackupWorld implements QuarkusTestResourceLifecycleManager {

    static final String LEGACY = "legacy";
    static final String LEGACY_RPO = "15s";

    private static volatile EtcdCluster legacy;

    private final EtcdResource sandbox = new EtcdResource();

    /** The v2-enabled cluster. */
    static EtcdCluster legacy() {
        if (legacy == null) {
            throw new IllegalStateException("the legacy cluster is not running");
        }
        return legacy;
    }

    @Override
    public void init(Map<String, String> args) {
        sandbox.init(args);
    }

    @Override
    public Map<String, String> start() {
        sandbox.start();
        Path dir = EtcdResource.inventoryPath().getParent().resolveSibling(
                EtcdResource.inventoryPath().getParent().getFileName() + "-legacy");
        legacy = EtcdCluster.start(dir, LEGACY, 1, List.of("--enable-v2"));
        ClusterSpec s = EtcdResource.cluster().spec();
        ClusterSpec l = legacy.spec();
        Inventory inventory = new Inventory(List.of(
                new ClusterSpec(s.id(), s.kind(), s.initialClusterToken(), s.tls(), s.members(), s.policy(), null,
                        new BackupPolicy("0/20 * * * * ?", null, "1h", null, null, null)),
                new ClusterSpec(l.id(), l.kind(), l.initialClusterToken(), l.tls(), l.members(), l.policy(), null,
                        new BackupPolicy(null, null, LEGACY_RPO, "gzip", true, false))));
        Path file = dir.resolve("inventory.yaml");
        try {
            Files.createDirectories(dir);
            InventoryLoader.write(inventory, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(EtcdResource.INVENTORY_PATH, file.toString());
    }

    @Override
    public void stop() {
        try {
            if (legacy != null) {
                legacy.close();
                legacy.deleteData();
                legacy = null;
            }
        } finally {
            sandbox.stop();
        }
    }
}
