package dev.cpr.backup.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.etcd.EtcdRelease;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The restore drill of a snapshot of a real etcd 3.5 cluster (Debian trixie's, which {@code .ci/run} fetches): the
 * drill reads the cluster's release from its status, finds etcd and etcdutl 3.5 beside the members' etcd and
 * verifies the snapshot with them; an etcd 3.4 standing in for a 3.5 cluster is refused. Skipped where 3.5 cannot be
 * fetched.
 */
class SnapshotVerifierOnEtcd35Test {

    private final Path dir = Path.of("target/etcd35-drill-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();

    @AfterEach
    void cleanUp() throws Exception {
        System.clearProperty(EtcdRelease.PROPERTY);
        LocalEtcdMember.deleteRecursively(dir);
    }

    @Test
    void aSnapshotOfAThreeFiveClusterIsVerifiedWithEtcdutlAndNotWithAnOlderEtcd() throws Exception {
        assumeTrue(etcd35Available(), "etcd 3.5 could not be fetched (scripts/etcd-debian.sh 3.5)");
        System.setProperty(EtcdRelease.PROPERTY, "3.5");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "three-five", 1)) {
            // given a stored snapshot of a 3.5 cluster holding 300 keys
            etcd.putKeys("/drill/", 300);
            ArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
            String location;
            try (ArtifactStore.PendingArtifact pending = store.begin("three-five", "snap.db")) {
                try (OutputStream out = pending.output()) {
                    etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
                }
                location = pending.commit();
            }
            long revision = etcd.revision();
            DrillExpectation expected = new DrillExpectation(sha256(store, location), revision, revision, 300);
            SnapshotVerifier verifier = new SnapshotVerifier(drillConfig(), store, Clock.systemUTC());

            // when it is drilled with the cluster's own release
            DrillResult drilled = verifier.drill("three-five", location, Compression.NONE, expected, etcd.spec());

            // then etcdutl 3.5 restored it and a scratch etcd 3.5 counted every key
            assertThat(drilled.verdict()).as(drilled.detail()).isEqualTo(DrillResult.Verdict.VERIFIED);
            assertThat(drilled.restoredKeyCount()).isEqualTo(300);
            assertThat(drilled.detail()).contains("etcd 3.5.").contains("etcdutl snapshot restore");

            // and the system's etcd 3.4 (a cluster spec whose etcd is just "etcd" on the PATH) cannot stand for it
            ClusterSpec plain = new ClusterSpec("three-five", etcd.spec().kind(), etcd.spec().token(), null,
                    etcd.members().stream().map(m -> new MemberSpec(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(),
                            NodeAccess.local("etcd", m.localPidFile(), m.localLogFile()))).toList(), null);
            DrillResult refused = verifier.drill("three-five", location, Compression.NONE, expected, plain);
            assertThat(refused.verdict()).as(refused.detail()).isEqualTo(DrillResult.Verdict.INCONCLUSIVE);
            assertThat(refused.detail()).contains("older than the cluster's 3.5.");
        }
    }

    private static boolean etcd35Available() {
        try {
            return Files.isExecutable(EtcdRelease.binDir("3.5").resolve("etcdutl"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String sha256(ArtifactStore store, String location) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(store.open(location), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The drill's defaults (etcd, etcdctl, etcdutl from PATH, 30 s / 120 s), without a Quarkus config. */
    private BackupConfig drillConfig() {
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
