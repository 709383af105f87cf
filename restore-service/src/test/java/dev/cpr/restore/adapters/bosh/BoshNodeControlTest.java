package dev.cpr.restore.adapters.bosh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.config.RestoreConfig.Bosh.VmShell;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.bosh.InstanceRecord;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BOSH node access against the director simulator over a real 3-member etcd cluster. */
class BoshNodeControlTest {

    private static final String DEPLOYMENT = "service-instance_5e1f0a2b";
    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;
    private static ClusterSpec spec;
    private static BoshDirectorAdapter adapter;

    @BeforeAll
    static void start() {
        Path base = Path.of("target", "sandbox", "bosh-node-control-" + System.nanoTime()).toAbsolutePath();
        cluster = EtcdCluster.start(base.resolve("etcd"), "pks", 3);
        director = BoshDirectorSimulator.start(cluster, DEPLOYMENT, base.resolve("director"));
        spec = new ClusterSpec("pks", ClusterKind.BOSH, cluster.spec().token(), null,
                cluster.members().stream().map(m -> onInstance(m, director.instance(m.name()))).toList(), null);
        adapter = new BoshDirectorAdapter(new BoshDirectorClient(BoshDirectorConfig.of(director.url(),
                director.options().client(), director.options().clientSecret())
                .withTaskPolling(Duration.ofMillis(50), Duration.ofSeconds(30))));
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

    private static MemberSpec onInstance(MemberSpec member, InstanceRecord instance) {
        return withAccess(member, new NodeAccess(NodeAccess.Type.BOSH, null, null, null, null, null, null, DEPLOYMENT,
                instance.group() + "/" + instance.id()));
    }

    private static MemberSpec withAccess(MemberSpec member, NodeAccess access) {
        return new MemberSpec(member.name(), member.clientUrl(), member.peerUrl(), member.dataDir(), access);
    }

    private static BoshNodeControl nodes(VmShell shell, NodeControl files) {
        return new BoshNodeControl(m -> spec, c -> adapter, shell, () -> files);
    }

    private static MemberSpec member(String name) {
        return spec.member(name).orElseThrow();
    }

    @Test
    void stopAndStartGoThroughTheDirectorAndIsRunningFollowsTheInstance() throws Exception {
        // given a healthy master
        BoshNodeControl nodes = nodes(VmShell.LOCAL, new LocalNodeControl());
        MemberSpec etcd3 = member("etcd-3");
        assertThat(nodes.isRunning(etcd3)).isTrue();

        // when it is stopped through the director
        nodes.stop(etcd3);

        // then its process is gone and the director records the instance stopped
        assertThat(nodes.isRunning(etcd3)).isFalse();
        assertThat(cluster.localMember("etcd-3").isRunning()).isFalse();
        assertThat(director.instance("etcd-3").desiredState()).isEqualTo("stopped");

        // when it is started again, it rejoins the cluster on its data
        nodes.start(spec, etcd3, spec.initialClusterFlag());

        assertThat(nodes.isRunning(etcd3)).isTrue();
        assertThat(director.instance("etcd-3").desiredState()).isEqualTo("started");
        cluster.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    void aStartedInstanceWhoseEtcdDiedStillCountsAsRunningUntilTheDirectorStopsIt() throws Exception {
        // given etcd-2's job fails on a VM that stays (monit would restart it)
        BoshNodeControl nodes = nodes(VmShell.LOCAL, new LocalNodeControl());
        director.failJob("etcd-2");
        try {
            // then it is not safe to touch its disk yet
            assertThat(nodes.isRunning(member("etcd-2"))).isTrue();
        } finally {
            cluster.restart("etcd-2");
            cluster.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    void directorErrorsAreSurfacedWithTheirCodeAndDescription() {
        BoshNodeControl nodes = nodes(VmShell.LOCAL, new LocalNodeControl());
        MemberSpec ghost = withAccess(member("etcd-1"), new NodeAccess(NodeAccess.Type.BOSH, null, null, null, null,
                null, null, DEPLOYMENT, "master/" + UUID.randomUUID()));

        assertThatThrownBy(() -> nodes.stop(ghost))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stopping master/")
                .hasMessageContaining("director error 70001");
        assertThatThrownBy(() -> nodes.isRunning(ghost))
                .hasMessageContaining("has no instance master/");
    }

    @Test
    void startingAMemberAsPartOfANewClusterIsRefusedBecauseBbrRestoresBoshClusters() {
        BoshNodeControl nodes = nodes(VmShell.LOCAL, new LocalNodeControl());

        assertThatThrownBy(() -> nodes.start(spec, member("etcd-1"), spec.initialClusterFlag(),
                NodeControl.ClusterState.NEW, "pks-restored"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("BOSH clusters are restored by bbr");
        assertThat(director.instance("etcd-1").desiredState()).isEqualTo("started");
    }

    @Test
    void theLocalVmShellSeesThePersistentDiskAsTheMembersDataDir() throws Exception {
        BoshNodeControl nodes = nodes(VmShell.LOCAL, new LocalNodeControl());

        assertThat(nodes.hasData(member("etcd-1"))).isTrue();
        assertThat(nodes.exists(member("etcd-1"), member("etcd-1").dataDir() + "/member/wal")).isTrue();
        assertThat(nodes.onVm(member("etcd-1")).access().type()).isEqualTo(NodeAccess.Type.LOCAL);
    }

    @Test
    void theSshVmShellNeedsTheMembersHostAndSaysSo() {
        BoshNodeControl nodes = nodes(VmShell.SSH, new LocalNodeControl());
        MemberSpec withHost = withAccess(member("etcd-1"), new NodeAccess(NodeAccess.Type.BOSH, null, null, null,
                "10.0.8.4", 2222, "vcap", DEPLOYMENT, "master/x"));

        assertThatThrownBy(() -> nodes.hasData(member("etcd-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no access.host")
                .hasMessageContaining("cpr.restore.bosh.vm-shell=ssh");
        assertThat(nodes.onVm(withHost).access()).satisfies(a -> {
            assertThat(a.type()).isEqualTo(NodeAccess.Type.SSH);
            assertThat(List.of(a.host(), a.port(), a.user())).containsExactly("10.0.8.4", 2222, "vcap");
        });
    }
}
