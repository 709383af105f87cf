package dev.cpr.sandbox.bosh;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.bosh.BoshProblem;
import dev.cpr.bosh.BoshTaskFailedException;
import dev.cpr.bosh.InstanceState;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 001: a recreate keeps the persistent disk, so a member whose WAL was deleted stays broken. */
class RecreateKeepsPersistentDataTest {

    private static final Path BASE = TestDirs.fresh("bosh-wal");
    private static final String DEPLOYMENT = "service-instance_9b8ad6e0-a438-4033-9767-46c586fb4771";
    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;

    @BeforeAll
    static void start() {
        cluster = EtcdCluster.start(BASE.resolve("etcd"), "bosh-wal", 3);
        director = BoshDirectorSimulator.start(cluster, DEPLOYMENT, BASE.resolve("director"),
                BoshDirectorSimulator.Options.defaults().withJobStartTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        if (director != null) {
            director.close();
        }
        if (cluster != null) {
            cluster.close();
            cluster.deleteData();
        }
    }

    @Test
    void aMemberWhoseWalWasDeletedStaysFailingAfterRecreateAndAfterCloudCheck() {
        BoshDirectorClient client = BoshDirectorSimulatorTest.newClient(director);
        InstanceRecord master = director.instance("etcd-1");
        cluster.putKeys("/registry/pods/", 100);
        cluster.deleteWal("etcd-1");

        assertThatThrownBy(() -> client.changeInstanceState(DEPLOYMENT, "master", master.id(), InstanceState.RECREATE))
                .isInstanceOfSatisfying(BoshTaskFailedException.class, e -> {
                    assertThat(e.task().state()).isEqualTo("error");
                    assertThat(e.getMessage()).contains("'" + master.label() + "' is not running after update");
                });
        BoshInstance afterRecreate = client.instances(DEPLOYMENT).get(0);
        assertThat(afterRecreate.vmCid()).as("a new VM").isNotNull().isNotEqualTo(master.vmCid());
        assertThat(afterRecreate.jobState()).isEqualTo("failing");
        assertThat(afterRecreate.processes()).filteredOn(p -> p.name().equals("etcd"))
                .singleElement().satisfies(p -> assertThat(p.state()).isEqualTo("unknown"));

        // seed 001's next move: delete the VM, cloud check, recreate_vm: still failing
        client.deleteVm(afterRecreate.vmCid());
        client.scan(DEPLOYMENT);
        BoshProblem missing = client.problems(DEPLOYMENT).get(0);
        assertThat(missing.type()).isEqualTo(BoshProblem.MISSING_VM);
        assertThatThrownBy(() -> client.resolveProblems(DEPLOYMENT, Map.of(missing.id(), BoshProblem.RECREATE_VM)))
                .isInstanceOf(BoshTaskFailedException.class)
                .hasMessageContaining("Error resolving problem '" + missing.id() + "'");
        assertThat(client.instances(DEPLOYMENT).get(0).jobState()).isEqualTo("failing");
        assertThat(cluster.isHealthy("etcd-2")).isTrue();
        assertThat(cluster.isHealthy("etcd-3")).isTrue();
    }
}
