package dev.cpr.backup.it;

import dev.cpr.contracts.inventory.BackupPolicy;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import java.util.concurrent.CompletableFuture;
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
 * {@code EtcdResource.cluster()} works), a 1-member cluster {@code legacy} started with {@code --enable-v2}, and a
 * 3-member {@code kind: bosh} cluster {@code pks} whose deployment is served by the BOSH director simulator over its
 * real members (backed up by the sandbox {@code bbr}, as {@link dev.cpr.sandbox.testing.BoshDirectorResource} would
 * set up, which cannot be used here: it turns every cluster of EtcdResource's inventory into a bosh one). One
 * inventory whose {@code backup:} sections carry the policies the tests rely on:
 * <ul>
 *   <li>{@code sandbox}: cron {@code 0/20 * * * * ?}, RPO 1 h;</li>
 *   <li>{@code legacy}: v2 data, gzip, RPO {@value #LEGACY_RPO} (short, so the RPO incident opens and resolves
 *       while the tests run), no incident snapshots;</li>
 *   <li>{@code pks}: no schedule, no RPO, no incident snapshots (its backups are the tests' own), retention
 *       {@code count 1} (per kind: one snapshot and one artifact of each bbr kind are kept).</li>
 * </ul>
 * The app's {@code cpr.backup.bbr.*} points at the sandbox {@code bbr} launcher with this JVM's classpath.
 */
public class BackupWorld implements QuarkusTestResourceLifecycleManager {

    static final String LEGACY = "legacy";
    static final String LEGACY_RPO = "15s";
    static final String PKS = "pks";
    static final Path BBR_ARTIFACTS = Path.of("target", "test-bbr").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("..", "sandbox", "src", "main", "bbr", "bbr").toAbsolutePath()
            .normalize();

    private static volatile EtcdCluster legacy;
    private static volatile EtcdCluster pks;
    private static volatile BoshDirectorSimulator director;
    private static volatile Path directorDir;

    private final EtcdResource sandbox = new EtcdResource();

    /** The v2-enabled cluster. */
    static EtcdCluster legacy() {
        if (legacy == null) {
            throw new IllegalStateException("the legacy cluster is not running");
        }
        return legacy;
    }

    /** The bosh cluster's real etcd. */
    static EtcdCluster pks() {
        if (pks == null) {
            throw new IllegalStateException("the pks cluster is not running");
        }
        return pks;
    }

    /** The BOSH director simulator of {@code pks}. */
    static BoshDirectorSimulator director() {
        if (director == null) {
            throw new IllegalStateException("the BOSH director simulator is not running");
        }
        return director;
    }

    /** The simulator's work dir (its instances' disks: where bbr leaves {@code bbr-backup} directories). */
    static Path directorDir() {
        director();
        return directorDir;
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
        deleteRecursively(BBR_ARTIFACTS); // the catalog is new on every start: so are the artifacts
        Path pksDir = dir.resolveSibling(dir.getFileName() + "-pks");
        CompletableFuture<EtcdCluster> pksStarting = CompletableFuture.supplyAsync(() -> EtcdCluster.start(
                pksDir.resolve("etcd"), PKS, 3));
        legacy = EtcdCluster.start(dir, LEGACY, 1, List.of("--enable-v2"));
        pks = pksStarting.join();
        directorDir = pksDir.resolve("director");
        director = BoshDirectorSimulator.start(pks, BoshDirectorResource.DEFAULT_DEPLOYMENT, directorDir);
        ClusterSpec s = EtcdResource.cluster().spec();
        ClusterSpec l = legacy.spec();
        ClusterSpec p = pks.spec();
        Inventory inventory = new Inventory(List.of(
                new ClusterSpec(s.id(), s.kind(), s.initialClusterToken(), s.tls(), s.members(), s.policy(), null,
                        new BackupPolicy("0/20 * * * * ?", null, "1h", null, null, null)),
                new ClusterSpec(l.id(), l.kind(), l.initialClusterToken(), l.tls(), l.members(), l.policy(), null,
                        new BackupPolicy(null, null, LEGACY_RPO, "gzip", true, false)),
                new ClusterSpec(p.id(), ClusterKind.BOSH, p.initialClusterToken(), p.tls(), p.members(), p.policy(),
                        new BoshSpec(director.url(), director.deployment(), "master", director.options().client(),
                                director.options().clientSecret(), null, null, new BoshSpec.DirectorSsh(
                                director.bbrHost(), "bbr", director.bbrPrivateKey().toString())),
                        new BackupPolicy(null, new BackupPolicy.Retention("count", 1), null, null, null, false))));
        Path file = dir.resolve("inventory.yaml");
        try {
            Files.createDirectories(dir);
            InventoryLoader.write(inventory, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(EtcdResource.INVENTORY_PATH, file.toString(),
                "cpr.backup.bbr.binary", LAUNCHER.toString(),
                "cpr.backup.bbr.artifact-path", BBR_ARTIFACTS.toString(),
                "cpr.backup.bbr.env.CPR_BBR_CLASSPATH", System.getProperty("java.class.path"),
                "cpr.backup.bbr.env.JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }

    @Override
    public void stop() {
        try {
            if (director != null) {
                director.close();
                director = null;
            }
            if (pks != null) {
                pks.close();
                pks.deleteData();
                pks = null;
            }
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
