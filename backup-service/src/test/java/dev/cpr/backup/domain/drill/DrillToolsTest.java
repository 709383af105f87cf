package dev.cpr.backup.domain.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.etcd.EtcdVersion;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillToolsTest {

    private static final String PEER = "http://127.0.0.1:40001";

    @Test
    void onThreeFourTheDrillRestoresWithEtcdctlIntoItsOwnScratchMember() {
        assertThat(DrillTools.restore(EtcdVersion.parse("3.4.23"), "/s/snapshot.db", "/s/data", PEER).argv("etcdctl"))
                .containsExactly("etcdctl", "snapshot", "restore", "/s/snapshot.db", "--name", "drill",
                        "--initial-cluster", "drill=" + PEER, "--initial-cluster-token", "cpr-drill",
                        "--initial-advertise-peer-urls", PEER, "--data-dir", "/s/data");
    }

    @Test
    void onThreeFiveAndThreeSixTheDrillRestoresWithEtcdutlAndNeverBumpsTheRevisionItCompares() {
        for (String version : List.of("3.5.16", "3.6.0")) {
            var restore = DrillTools.restore(EtcdVersion.parse(version), "/s/snapshot.db", "/s/data", PEER);
            assertThat(restore.argv("/opt/etcd/etcdutl")).startsWith("/opt/etcd/etcdutl", "snapshot", "restore")
                    .doesNotContain("--bump-revision", "--mark-compacted");
            assertThat(restore.note()).isEmpty();
        }
        assertThat(DrillTools.restoreWithEtcdctl(EtcdVersion.parse("3.5.16"), "/s/snapshot.db", "/s/data", PEER))
                .hasValueSatisfying(c -> assertThat(c.argv("etcdctl")).startsWith("etcdctl", "snapshot", "restore"));
        assertThat(DrillTools.restoreWithEtcdctl(EtcdVersion.parse("3.6.0"), "/s/snapshot.db", "/s/data", PEER)).isEmpty();
    }

    @Test
    void anEtcdOlderThanTheClustersCannotStandForItInADrill() {
        assertThat(DrillTools.cannotDrill(EtcdVersion.parse("3.4.23"), Optional.of(EtcdVersion.parse("3.5.16"))))
                .hasValueSatisfying(why -> assertThat(why).contains("3.4.23, older than the cluster's 3.5.16")
                        .contains("install etcd 3.5"));
        assertThat(DrillTools.cannotDrill(EtcdVersion.parse("3.5.16"), Optional.of(EtcdVersion.parse("3.5.30")))).isEmpty();
        assertThat(DrillTools.cannotDrill(EtcdVersion.parse("3.5.16"), Optional.of(EtcdVersion.parse("3.4.23")))).isEmpty();
        assertThat(DrillTools.cannotDrill(EtcdVersion.parse("3.4.23"), Optional.empty())).isEmpty();
    }

    @Test
    void binariesAreLookedForBesideTheClustersOwnEtcdFirstThenAsConfigured() {
        assertThat(DrillTools.candidates("etcdutl", "etcdutl",
                List.of("/cache/etcd/3.5/usr/bin/etcd", "/cache/etcd/3.5/usr/bin/etcd", "etcd")))
                .containsExactly("/cache/etcd/3.5/usr/bin/etcdutl", "etcdutl");
        assertThat(DrillTools.candidates("etcd", "/usr/bin/etcd", List.of("etcd"))).containsExactly("/usr/bin/etcd");
    }
}
