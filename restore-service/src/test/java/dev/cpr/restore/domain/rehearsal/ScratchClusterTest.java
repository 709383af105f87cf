package dev.cpr.restore.domain.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.TlsSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchClusterTest {

    private static final TlsSpec TLS = new TlsSpec("/pki/ca.crt", "/pki/client.crt", "/pki/client.key");

    private static ClusterSpec real() {
        return new ClusterSpec("prod", ClusterKind.ETCD, "prod", TLS, List.of(
                member("etcd-a", 2379, "/var/lib/etcd/a"), member("etcd-b", 2479, "/var/lib/etcd/b"),
                member("etcd-c", 2579, "/var/lib/etcd/c")), null);
    }

    private static MemberSpec member(String name, int port, String data) {
        return new MemberSpec(name, "https://127.0.0.1:" + port, "https://127.0.0.1:" + (port + 1), data,
                NodeAccess.local("/opt/etcd-3.5/etcd", null, null));
    }

    @Test
    void theScratchClusterHasTheRealOnesSizeNamesSchemeAndTlsButItsOwnIdPortsAndFilesUnderTheScratchDirectory() {
        ClusterSpec scratch = ScratchCluster.of(real(), ScratchCluster.id("prod", "0123456789abcdef"),
                Path.of("/scratch/prod-rehearsal-01234567"), List.of(40001, 40002, 40003, 40004, 40005, 40006),
                List.of("/opt/etcd-3.5/etcd", "/opt/etcd-3.5/etcd", "/opt/etcd-3.5/etcd"));

        assertThat(scratch.id()).isEqualTo("prod-rehearsal-01234567");
        assertThat(scratch.token()).isEqualTo("prod-rehearsal-01234567");
        assertThat(scratch.tls()).isEqualTo(TLS);
        assertThat(scratch.members()).extracting(MemberSpec::name).containsExactly("etcd-a", "etcd-b", "etcd-c");
        assertThat(scratch.members()).extracting(MemberSpec::clientUrl).containsExactly("https://127.0.0.1:40001",
                "https://127.0.0.1:40003", "https://127.0.0.1:40005");
        assertThat(scratch.members()).extracting(MemberSpec::dataDir, MemberSpec::localPidFile).allSatisfy(t ->
                assertThat(t.toList()).allSatisfy(path -> assertThat((String) path)
                        .startsWith("/scratch/prod-rehearsal-01234567/")));
        assertThat(ScratchCluster.sharedWith(scratch, List.of(real()))).isEmpty();
    }

    @Test
    void aScratchSpecThatWouldReachARealMembersPortOrDataIsNamedWithWhatItShares() {
        ClusterSpec scratch = ScratchCluster.of(real(), "prod-rehearsal-x", Path.of("/var/lib/etcd"),
                List.of(2379, 40002, 40003, 40004, 40005, 40006), List.of("etcd", "etcd", "etcd"));

        assertThat(ScratchCluster.sharedWith(scratch, List.of(real()))).containsExactly(
                "https://127.0.0.1:2379 of prod/etcd-a");
        ClusterSpec sameId = ScratchCluster.of(real(), "prod", Path.of("/scratch"),
                List.of(40001, 40002, 40003, 40004, 40005, 40006), List.of("etcd", "etcd", "etcd"));
        assertThat(ScratchCluster.sharedWith(sameId, List.of(real()))).containsExactly("cluster id prod");
    }

    @Test
    void aScratchClusterOfRemoteTlsMembersServesPlainHttpOnLoopbackForAPlainEtcdHasNoCertificateForIt() {
        // given kubespray-style members reached over ssh, serving TLS with certificates for their own addresses
        ClusterSpec remote = new ClusterSpec("prod", ClusterKind.ETCD, "prod", TLS, List.of(
                new MemberSpec("etcd1", "https://10.0.0.11:2379", "https://10.0.0.11:2380", "/var/lib/etcd",
                        new NodeAccess(NodeAccess.Type.SSH, null, null, null, "10.0.0.11", 22, "cpr", null, null)),
                new MemberSpec("etcd2", "https://10.0.0.12:2379", "https://10.0.0.12:2380", "/var/lib/etcd",
                        new NodeAccess(NodeAccess.Type.SSH, null, null, null, "10.0.0.12", 22, "cpr", null, null))), null);

        ClusterSpec scratch = ScratchCluster.of(remote, "prod-rehearsal-1", Path.of("/scratch/prod-rehearsal-1"),
                List.of(40001, 40002, 40003, 40004), List.of("etcd", "etcd"));

        assertThat(scratch.members()).extracting(MemberSpec::clientUrl, MemberSpec::peerUrl).containsExactly(
                tuple("http://127.0.0.1:40001", "http://127.0.0.1:40002"),
                tuple("http://127.0.0.1:40003", "http://127.0.0.1:40004"));
        assertThat(scratch.tls()).isNull();

        // and so does a local TLS cluster whose scratch members run another etcd than the members' own launchers
        ClusterSpec other = ScratchCluster.of(real(), "prod-rehearsal-2", Path.of("/scratch/prod-rehearsal-2"),
                List.of(40001, 40002, 40003, 40004, 40005, 40006), List.of("/usr/bin/etcd", "/usr/bin/etcd",
                        "/usr/bin/etcd"));
        assertThat(other.members().get(0).clientUrl()).isEqualTo("http://127.0.0.1:40001");
        assertThat(other.tls()).isNull();
    }
}
