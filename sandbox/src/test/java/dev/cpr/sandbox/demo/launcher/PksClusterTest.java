package dev.cpr.sandbox.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.bosh.InstanceRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The world's PKS cluster: real etcd masters under the director simulator, as the services' inventory names them. */
class PksClusterTest {

    private static final Path BASE = TestDirs.fresh("pks");
    private static PksCluster pks;

    @BeforeAll
    static void start() {
        pks = PksCluster.start(BASE);
    }

    @AfterAll
    static void stop() {
        if (pks != null) {
            pks.close();
        }
    }

    @Test
    void theInventoryNamesEachMasterByTheInstanceTheDirectorListsForItsMember() throws IOException {
        Path file = BASE.resolve("inventory.yaml");
        InventoryLoader.write(new Inventory(List.of(pks.inventorySpec())), file);

        ClusterSpec cluster = InventoryLoader.load(file).clusters().get(0);

        assertThat(cluster.id()).isEqualTo("pks-1");
        assertThat(cluster.kind()).isEqualTo(ClusterKind.BOSH);
        assertThat(cluster.bosh().directorUrl()).isEqualTo(pks.director().url());
        assertThat(cluster.bosh().deployment()).isEqualTo(PksCluster.DEPLOYMENT).startsWith("service-instance_");
        assertThat(cluster.bosh().clientSecret()).as("the secret stays out of the file").isNull();
        assertThat(cluster.bosh().clientSecretEnv()).isEqualTo(PksCluster.SECRET_ENV);
        assertThat(pks.env()).containsEntry(PksCluster.SECRET_ENV, pks.director().options().clientSecret());
        assertThat(cluster.bosh().director().host()).isEqualTo(pks.director().bbrHost());
        assertThat(cluster.tls()).as("the masters serve mutual TLS by default, as PKS's do")
                .isNotNull().isEqualTo(pks.etcd().spec().tls());
        assertThat(cluster.members()).hasSize(3);
        for (MemberSpec member : cluster.members()) {
            InstanceRecord instance = pks.director().instance(member.name());
            assertThat(member.access().type()).isEqualTo(NodeAccess.Type.BOSH);
            assertThat(member.access().deployment()).isEqualTo(PksCluster.DEPLOYMENT);
            assertThat(member.access().instance()).isEqualTo("master/" + instance.id());
            assertThat(member.dataDir()).as("the VM's persistent disk, for vm-shell local")
                    .isEqualTo(pks.etcd().member(member.name()).dataDir());
            assertThat(member.clientUrl()).isEqualTo(pks.etcd().member(member.name()).clientUrl()).startsWith("https://");
            assertThat(pks.etcd().isHealthy(member.name())).as(member.name()).isTrue();
        }
    }

    @Test
    void statusListsEveryInstanceAsTheDirectorReportsItNowLikeBoshIs() {
        String instance = pks.instanceOf("etcd-3");
        pks.director().deleteVm(instance);
        try {
            // if etcd-3 led, the others answer unhealthy (so "failing") until they have elected a new leader
            await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> {
                String status = BoshStatus.of(pks.describe()).render();

                assertThat(status).contains("Deployment '" + PksCluster.DEPLOYMENT + "'").contains("4 instances");
                assertThat(status.lines().filter(l -> l.startsWith("master/"))).hasSize(3);
                assertThat(status.lines().filter(l -> l.startsWith(instance)).findFirst()).hasValueSatisfying(line ->
                        assertThat(line.split("\\s+")[1]).as("no VM: no process state").isEqualTo("-"));
                assertThat(status.lines().filter(l -> l.startsWith("master/") && !l.startsWith(instance)))
                        .allSatisfy(line -> assertThat(line.split("\\s+")[1]).isEqualTo("running"));
            });
        } finally {
            pks.etcd().restart("etcd-3");
            pks.etcd().awaitHealthy(java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    void statusSaysSoWhenTheDirectorDoesNotAnswer() {
        pks.director().directorDown();
        try {
            assertThat(BoshStatus.of(pks.describe()).render()).contains("cannot list the instances:");
        } finally {
            pks.director().directorUp();
        }
    }
}
