package dev.cpr.backup.domain.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupKindTest {

    private static final List<MemberSpec> MEMBERS = List.of(new MemberSpec("etcd-1", "http://127.0.0.1:2379",
            "http://127.0.0.1:2380", "/tmp/etcd-1", NodeAccess.local(null, null, null)));

    private static ClusterSpec cluster(ClusterKind kind, BoshSpec bosh) {
        return new ClusterSpec("c1", kind, null, null, MEMBERS, null, bosh, null);
    }

    private static BoshSpec bosh(BoshSpec.DirectorSsh director) {
        return new BoshSpec("https://10.0.0.6:25555", "service-instance_x", "master", "ops_manager", "s3cret", null,
                null, director);
    }

    @Test
    void theWireNamesAreTheCatalogKindsAndAnUnknownOneIsRefusedListingThem() {
        assertThat(BackupKind.fromWire("bbr-deployment")).isEqualTo(BackupKind.BBR_DEPLOYMENT);
        assertThat(BackupKind.fromWire("etcd-v3-snapshot")).isEqualTo(BackupKind.ETCD_V3_SNAPSHOT);
        assertThatThrownBy(() -> BackupKind.fromWire("tarball"))
                .hasMessageContaining("unknown backup kind 'tarball'")
                .hasMessageContaining("etcd-v3-snapshot, bbr-deployment, bbr-director");
        assertThat(BackupKind.isBbr("bbr-director")).isTrue();
        assertThat(BackupKind.isBbr("etcd-v3-snapshot")).isFalse();
        assertThat(BackupKind.isBbr(null)).isFalse();
    }

    @Test
    void bbrKindsAreRefusedForAClusterThatIsNotBoshNamingItsKind() {
        ClusterSpec etcd = cluster(ClusterKind.ETCD, null);
        assertThat(BackupKind.BBR_DEPLOYMENT.refusal(etcd)).hasValueSatisfying(why ->
                assertThat(why).contains("kind 'bbr-deployment'", "cluster 'c1' is kind: etcd"));
        assertThat(BackupKind.BBR_DIRECTOR.refusal(etcd)).isPresent();
        assertThat(BackupKind.ETCD_V3_SNAPSHOT.refusal(etcd)).isEmpty();
    }

    @Test
    void aDirectorBackupNeedsTheClustersBoshDirector() {
        ClusterSpec noDirector = cluster(ClusterKind.BOSH, bosh(null));
        assertThat(BackupKind.BBR_DEPLOYMENT.refusal(noDirector)).isEmpty();
        assertThat(BackupKind.BBR_DIRECTOR.refusal(noDirector)).hasValueSatisfying(why ->
                assertThat(why).contains("bosh.director"));
        ClusterSpec withDirector = cluster(ClusterKind.BOSH, bosh(new BoshSpec.DirectorSsh("10.0.0.6", "bbr", "/key")));
        assertThat(BackupKind.BBR_DIRECTOR.refusal(withDirector)).isEmpty();
    }

    @Test
    void aBoshClustersRoutineBackupIsABbrDeploymentBackupAndAnyOtherClustersASnapshot() {
        assertThat(BackupKind.routineFor(cluster(ClusterKind.BOSH, bosh(null)))).isEqualTo(BackupKind.BBR_DEPLOYMENT);
        assertThat(BackupKind.routineFor(cluster(ClusterKind.ETCD, null))).isEqualTo(BackupKind.ETCD_V3_SNAPSHOT);
        assertThat(BackupKind.routineFor(cluster(ClusterKind.KUBESPRAY, null))).isEqualTo(BackupKind.ETCD_V3_SNAPSHOT);
    }

    @Test
    void snapshotsAndDeploymentBackupsKeepTheRpoButADirectorBackupDoesNot() {
        assertThat(BackupKind.ETCD_V3_SNAPSHOT.countsForRpo()).isTrue();
        assertThat(BackupKind.BBR_DEPLOYMENT.countsForRpo()).isTrue();
        assertThat(BackupKind.BBR_DIRECTOR.countsForRpo()).isFalse();
    }
}
