package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.contracts.node.LocalEtcdMember.InitialState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin.EtcdAdminException;
import dev.cpr.restore.domain.etcd.EtcdMember;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.tls.IssuedCertificate;
import dev.cpr.sandbox.tls.SandboxCa;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore-service's admin path (member list, remove, add, status, key count) against a real three-member etcd
 * serving mutual TLS, and the three TLS faults, each one error naming cluster, member and file.
 */
class JetcdEtcdAdminTlsTest {

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static JetcdEtcdAdmin admin;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), "secure", 3);
        admin = new JetcdEtcdAdmin(config(), new Inventory(List.of(etcd.spec())));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @Test
    void aMemberIsRemovedAndAddedBackOverTls() throws Exception {
        // given
        ClusterSpec cluster = etcd.spec();
        MemberSpec third = etcd.member("etcd-3");
        assertThat(admin.members(cluster)).extracting(EtcdMember::name)
                .containsExactlyInAnyOrder("etcd-1", "etcd-2", "etcd-3");
        long id = admin.members(cluster).stream().filter(m -> m.name().equals("etcd-3")).findFirst()
                .orElseThrow().id();
        etcd.stop("etcd-3");
        // when
        admin.removeMember(cluster, id);
        etcd.wipe("etcd-3");
        // etcd refuses an add until its leader has seen every remaining member for a few seconds
        await().atMost(Duration.ofSeconds(30)).ignoreException(EtcdAdminException.class)
                .until(() -> admin.addMember(cluster, third.peerUrl()) != null);
        etcd.localMember("etcd-3").start(cluster, cluster.initialClusterFlag(), InitialState.EXISTING);
        // then
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.status(third.clientUrl()).isPresent());
        assertThat(admin.members(cluster)).extracting(EtcdMember::name)
                .containsExactlyInAnyOrder("etcd-1", "etcd-2", "etcd-3");
        assertThat(admin.keyspace(cluster).revision()).isPositive();
    }

    @Test
    void theClusterVersionIsReadOverTlsFromTheVersionEndpoint() {
        // a running cluster has decided its version (major.minor.0); the survivor rebuild waits for exactly this
        assertThat(admin.clusterVersion(etcd.member("etcd-1").clientUrl()))
                .hasValueSatisfying(version -> assertThat(version).matches("3\\.\\d+\\.0"));
    }

    @Test
    void aMissingKeyFileIsOneErrorNamingClusterMemberAndFileAndTheOtherClusterStillWorks() {
        // given: a second cluster whose key file is gone, in the same inventory as the good one
        String missing = dir.resolve("gone-key.pem").toString();
        ClusterSpec broken = copy("broken", etcd.spec(), new TlsSpec(etcd.spec().tls().caFile(),
                etcd.spec().tls().certFile(), missing), "https://127.0.0.1:1");
        JetcdEtcdAdmin both = new JetcdEtcdAdmin(config(), new Inventory(List.of(etcd.spec(), broken)));
        try {
            // when / then
            assertThatThrownBy(() -> both.members(broken))
                    .isInstanceOf(EtcdAdminException.class)
                    .hasMessage("TLS of cluster broken, member etcd-1: key file " + missing + " does not exist");
            assertThat(both.members(etcd.spec())).hasSize(3);
        } finally {
            both.close();
        }
    }

    @Test
    void anExpiredClientCertificateIsNamedAsExpired() {
        // given
        IssuedCertificate expired = etcd.issueClientCertificate("expired-client", SandboxCa.Validity.expired());
        ClusterSpec cluster = copy("stale", etcd.spec(), new TlsSpec(etcd.spec().tls().caFile(),
                expired.certFile().toString(), expired.keyFile().toString()), "https://127.0.0.1:2");
        JetcdEtcdAdmin stale = new JetcdEtcdAdmin(config(), new Inventory(List.of(cluster)));
        try {
            // when / then
            assertThatThrownBy(() -> stale.members(cluster))
                    .isInstanceOf(EtcdAdminException.class)
                    .hasMessageStartingWith("TLS of cluster stale, member etcd-1: client certificate "
                            + expired.certFile() + " expired at 2020-01-02T00:00:00Z");
        } finally {
            stale.close();
        }
    }

    @Test
    void aWrongCaIsNamedWithTheCaFile() {
        // given: the real members, trusted through a CA that did not sign them
        Path otherCa = SandboxCa.create(dir.resolve("other-ca"), "another CA").caFile();
        ClusterSpec cluster = new ClusterSpec("wrong-ca", ClusterKind.ETCD, "secure",
                new TlsSpec(otherCa.toString(), etcd.spec().tls().certFile(), etcd.spec().tls().keyFile()),
                etcd.members(), null);
        JetcdEtcdAdmin wrong = new JetcdEtcdAdmin(config(), new Inventory(List.of(cluster)));
        try {
            // when / then
            assertThatThrownBy(() -> wrong.members(cluster))
                    .isInstanceOf(EtcdAdminException.class)
                    .hasMessageContaining("no member of wrong-ca answers")
                    .hasMessageContaining("TLS of cluster wrong-ca, member etcd-1: the member's certificate is not "
                            + "signed by the CA in " + otherCa + " (wrong CA?)");
        } finally {
            wrong.close();
        }
    }

    /** {@code source}'s members renamed onto unreachable URLs (the check happens before any connection). */
    private static ClusterSpec copy(String id, ClusterSpec source, TlsSpec tls, String url) {
        MemberSpec first = source.members().get(0);
        return new ClusterSpec(id, ClusterKind.ETCD, id, tls,
                List.of(new MemberSpec(first.name(), url, url, first.dataDir(), first.access())), null);
    }

    private static RestoreConfig config() {
        RestoreConfig.Etcd etcd = (RestoreConfig.Etcd) Proxy.newProxyInstance(JetcdEtcdAdminTlsTest.class
                .getClassLoader(), new Class<?>[] {RestoreConfig.Etcd.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(5);
                    case "statusTimeout" -> Duration.ofSeconds(2);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RestoreConfig) Proxy.newProxyInstance(JetcdEtcdAdminTlsTest.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("etcd")) {
                        return etcd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
