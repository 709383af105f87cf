package dev.cpr.backup.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.tls.IssuedCertificate;
import dev.cpr.sandbox.tls.SandboxCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup-service against a real three-member etcd serving mutual TLS: a snapshot streamed and verified by a restore
 * drill, a v2 export, and the three TLS faults, each one error naming cluster, member and file.
 */
class TlsClusterBackupTest {

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ArtifactStore store;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), "secure", 3, List.of("--enable-v2"), 365);
        store = new LocalArtifactStore(dir.resolve("store"));
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @Test
    void aSnapshotIsTakenOverTlsAndItsDrillVerifiesIt() {
        // given
        etcd.putKeys("/tls/", 300);
        long keys = etcd.countKeys();
        // when
        TakenSnapshot taken = taker().take(etcd.spec(), "snap", Compression.NONE, member -> { });
        DrillResult drilled = new SnapshotVerifier(drillConfig(), store, Clock.systemUTC()).drill("secure",
                taken.location(), Compression.NONE, new DrillExpectation(taken.sha256(), taken.before().revision(),
                        taken.after() == null ? null : taken.after().revision(), taken.before().keyCount()),
                etcd.spec());
        // then
        assertThat(taken.before().keyCount()).isEqualTo(keys);
        assertThat(drilled.verdict()).as(drilled.detail()).isEqualTo(DrillResult.Verdict.VERIFIED);
        assertThat(drilled.restoredKeyCount()).isEqualTo(keys);
    }

    @Test
    void aV2KeyspaceIsExportedOverTls() throws Exception {
        // given a v2 key put through the member's https URL with the cluster's client certificate
        var member = etcd.members().get(0);
        HttpClient http = HttpClient.newBuilder()
                .sslContext(ClientTls.load("secure", null, etcd.spec().tls(), Instant.now()).sslContext()).build();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(member.clientUrl() + "/v2/keys/tls-key"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        // when
        V2Export export = new V2KeyspaceExporter(Duration.ofSeconds(30)).export(etcd.spec(), member, store, "v2.json");
        // then
        assertThat(export.keyCount()).isEqualTo(1);
    }

    @Test
    void aMissingKeyFileStopsTheSnapshotWithOneErrorNamingClusterMemberAndFile() {
        // given
        String missing = dir.resolve("gone-key.pem").toString();
        ClusterSpec broken = withTls("broken", new TlsSpec(etcd.spec().tls().caFile(), etcd.spec().tls().certFile(),
                missing));
        // when / then
        assertThatThrownBy(() -> taker().take(broken, "snap", Compression.NONE, member -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessage("TLS of cluster broken, member etcd-1: key file " + missing + " does not exist");
    }

    @Test
    void anExpiredClientCertificateIsNamedAsExpired() {
        // given
        IssuedCertificate expired = etcd.issueClientCertificate("expired-client", SandboxCa.Validity.expired());
        ClusterSpec stale = withTls("stale", new TlsSpec(etcd.spec().tls().caFile(), expired.certFile().toString(),
                expired.keyFile().toString()));
        // when / then
        assertThatThrownBy(() -> taker().take(stale, "snap", Compression.NONE, member -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageStartingWith("TLS of cluster stale, member etcd-1: client certificate " + expired.certFile()
                        + " expired at 2020-01-02T00:00:00Z");
    }

    @Test
    void aWrongCaIsNamedForEachMemberWithTheCaFile() {
        // given
        Path otherCa = SandboxCa.create(dir.resolve("other-ca"), "another CA").caFile();
        ClusterSpec wrong = withTls("wrong-ca", new TlsSpec(otherCa.toString(), etcd.spec().tls().certFile(),
                etcd.spec().tls().keyFile()));
        // when / then
        assertThatThrownBy(() -> taker().take(wrong, "snap", Compression.NONE, member -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageStartingWith("no member of cluster wrong-ca answered: etcd-1 (TLS of cluster wrong-ca, "
                        + "member etcd-1: the member's certificate is not signed by the CA in " + otherCa
                        + " (wrong CA?))");
    }

    private static SnapshotTaker taker() {
        return new SnapshotTaker(new JetcdSnapshotSource(Duration.ofSeconds(3), Duration.ofSeconds(60)), store,
                Clock.systemUTC());
    }

    private static ClusterSpec withTls(String id, TlsSpec tls) {
        ClusterSpec spec = etcd.spec();
        return new ClusterSpec(id, spec.kind(), spec.token(), tls, spec.members(), null);
    }

    /** The drill's defaults (etcd, etcdctl, etcdutl from PATH), without a Quarkus config. */
    private static BackupConfig drillConfig() {
        BackupConfig.Drill drill = (BackupConfig.Drill) java.lang.reflect.Proxy.newProxyInstance(
                BackupConfig.class.getClassLoader(), new Class<?>[] {BackupConfig.Drill.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "etcd", "etcdctl", "etcdutl" -> method.getName();
                            case "scratchDir" -> java.util.Optional.of(dir.resolve("scratch").toString());
                            case "startTimeout" -> Duration.ofSeconds(30);
                            case "restoreTimeout" -> Duration.ofSeconds(120);
                            case "onEverySnapshot" -> true;
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        return (BackupConfig) java.lang.reflect.Proxy.newProxyInstance(BackupConfig.class.getClassLoader(),
                new Class<?>[] {BackupConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("drill")) {
                        return drill;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
