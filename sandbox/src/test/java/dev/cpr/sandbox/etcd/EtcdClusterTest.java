package dev.cpr.sandbox.etcd;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.contracts.inventory.NodeAccess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EtcdClusterTest {

    /** Its own directory per run: two builds in one checkout must not wipe each other's members. */
    private static final Path BASE = TestDirs.fresh("etcd");
    private static EtcdCluster cluster;

    @BeforeAll
    static void startCluster() {
        long t0 = System.nanoTime();
        cluster = EtcdCluster.start(BASE, "sandbox", 3);
        System.out.printf("[timing] etcd 3-member cluster healthy in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertThat(cluster.members()).allSatisfy(m -> assertThat(cluster.isHealthy(m.name())).isFalse());
            cluster.deleteData();
        }
    }

    @Test
    void startsThreeHealthyLocalMembersDescribedByItsSpec() {
        ClusterSpec spec = cluster.spec();

        assertThat(spec.id()).isEqualTo("sandbox");
        assertThat(spec.kind()).isEqualTo(ClusterKind.ETCD);
        assertThat(cluster.members()).extracting(m -> m.name()).containsExactly("etcd-1", "etcd-2", "etcd-3");
        assertThat(cluster.members()).allSatisfy(m -> {
            assertThat(m.access().type()).isEqualTo(NodeAccess.Type.LOCAL);
            // a health check can take more than its 1 s timeout on a starved machine: wait for it, bounded
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.isHealthy(m.name()));
            assertThat(Path.of(m.localPidFile())).exists();
            assertThat(cluster.pid(m.name())).isPresent();
        });
        assertThat(cluster.clientEndpoints().split(",")).hasSize(3);
    }

    @Test
    void writesAnInventoryThatLoadsBackToTheSameCluster() {
        Path file = cluster.writeInventory(BASE.resolve("inventory.yaml"));

        assertThat(InventoryLoader.load(file).cluster("sandbox")).contains(cluster.spec());
    }

    @Test
    void putsTenThousandKeysAndCountsThem() {
        long before = cluster.countKeys();
        long t0 = System.nanoTime();

        cluster.putKeys("/registry/test/", 10_000);

        System.out.printf("[timing] 10,000 keys put in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(cluster.countKeys()).isEqualTo(before + 10_000);
    }

    @Test
    void aKilledMemberIsUnhealthyWhileTheOthersStayHealthyAndRestartBringsItBack() {
        cluster.kill("etcd-2");

        assertThat(cluster.isHealthy("etcd-2")).isFalse();
        assertThat(cluster.pid("etcd-2")).isEmpty();
        // if etcd-2 led, the others answer unhealthy until they have elected a new leader
        await("the survivors healthy again").atMost(Duration.ofSeconds(10))
                .until(() -> cluster.isHealthy("etcd-1") && cluster.isHealthy("etcd-3"));
        cluster.putKeys("/while-down/", 10);

        cluster.restart("etcd-2");

        cluster.awaitHealthy(Duration.ofSeconds(20));
        assertThat(cluster.isHealthy("etcd-2")).isTrue();
    }

    @Test
    void aMemberWhoseWalWasDeletedDoesNotComeBackOnRestart() {
        try (EtcdCluster single = EtcdCluster.start(BASE.resolve("wal-lost"), "wal-lost", 1)) {
            single.putKeys("/k/", 10);
            Path wal = single.localMember("etcd-1").dataDir().resolve("member").resolve("wal");
            assertThat(wal).isDirectory();
            single.kill("etcd-1");

            single.deleteWal("etcd-1");
            single.restart("etcd-1");

            assertThat(wal).doesNotExist();
            await().atMost(Duration.ofSeconds(10)).until(() -> !single.localMember("etcd-1").isRunning());
            assertThat(single.isHealthy("etcd-1")).isFalse();
            single.stopAll();
            single.deleteData();
        }
    }
}
