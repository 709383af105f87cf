package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.BackupCatalog;
import dev.cpr.backup.app.ChangeRecorder;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the chain-drill tests on a real etcd share: snapshots of it taken into the store, the catalog of the verified
 * ones as the drills read it, and the drill's settings.
 */
final class DrillFixtures {

    /** A recorder's outcomes nobody looks at: the tests read the change-log catalog itself. */
    static final ChangeRecorder.Outcomes QUIET = new ChangeRecorder.Outcomes() {
        @Override
        public void stored(StoredSegment segment) {
        }

        @Override
        public void compacted(String clusterId, long compactRevision) {
        }

        @Override
        public void broke(String clusterId, String what) {
        }
    };

    private DrillFixtures() {
    }

    /** A real snapshot of the cluster, streamed into the store; its location. */
    static String takeSnapshot(EtcdCluster etcd, ArtifactStore store, String clusterId) throws Exception {
        try (ArtifactStore.PendingArtifact pending = store.begin(clusterId, "snap-" + java.util.UUID.randomUUID()
                + ".db")) {
            try (OutputStream out = pending.output()) {
                etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
            }
            return pending.commit();
        }
    }

    static BackupUpdate verifiedSnapshot(String id, String clusterId, long revision, String location, Instant at) {
        return new BackupUpdate(id, clusterId, "etcd-v3-snapshot", BackupStatus.VERIFIED, "manual", null, null,
                "etcd-1", location, "none", 1L, "ab".repeat(32), revision, 1L, at, at, at, "ok", 1);
    }

    static String sha256(ArtifactStore store, String location) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(Files.readAllBytes(store.localPath(location).orElseThrow()));
        return HexFormat.of().formatHex(digest.digest());
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /**
     * The catalog as the drills read it: {@code verified} (newest first, read at each call) and the expectation each
     * snapshot was verified with, by backup id.
     */
    static BackupCatalog backups(List<BackupUpdate> verified,
            Function<String, Optional<DrillExpectation>> expectations) {
        return (BackupCatalog) Proxy.newProxyInstance(DrillFixtures.class.getClassLoader(),
                new Class<?>[] {BackupCatalog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("list") && args.length == 4 && args[1] == BackupStatus.VERIFIED
                            && args[3] == BackupKind.ETCD_V3_SNAPSHOT) {
                        return List.copyOf(verified);
                    }
                    if (method.getName().equals("expectation")) {
                        return expectations.apply(args[0].toString());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Drill settings: the etcd tools on the PATH, scratch members under {@code scratchDir}, every snapshot drilled. */
    static BackupConfig drillConfig(Path scratchDir) {
        BackupConfig.Drill drill = (BackupConfig.Drill) Proxy.newProxyInstance(
                BackupConfig.class.getClassLoader(), new Class<?>[] {BackupConfig.Drill.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "etcd", "etcdctl", "etcdutl" -> method.getName();
                            case "scratchDir" -> Optional.of(scratchDir.toString());
                            case "startTimeout" -> Duration.ofSeconds(60);
                            case "restoreTimeout" -> Duration.ofSeconds(120);
                            case "onEverySnapshot" -> true;
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        return (BackupConfig) Proxy.newProxyInstance(BackupConfig.class.getClassLoader(),
                new Class<?>[] {BackupConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("drill")) {
                        return drill;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
