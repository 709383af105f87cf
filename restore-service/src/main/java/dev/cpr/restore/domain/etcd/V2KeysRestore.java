package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code restore-v2-keys} step of a quorum restore (seed 002): a v3 snapshot does not carry the v2 keyspace, so
 * backup-service's v2 export of the snapshot, when it has one, is checked against its sha256 and PUT back over the
 * v2 API; a marker beside the export says it was done.
 */
final class V2KeysRestore {

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final SnapshotCatalog catalog;
    private final EtcdAdmin etcd;
    private final SnapshotDownload download;
    /** The export the check found: the action and the verification run after it, on the same instance. */
    private final AtomicReference<SnapshotCatalog.V2Export> v2 = new AtomicReference<>();

    V2KeysRestore(ClusterSpec cluster, String planId, SnapshotRef snapshot, SnapshotCatalog catalog, EtcdAdmin etcd,
            SnapshotDownload download) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.catalog = catalog;
        this.etcd = etcd;
        this.download = download;
    }

    private String snapshotId() {
        return EtcdQuorumRestorePlan.required(snapshot).id();
    }

    private Path v2File() {
        return download.file().resolveSibling(planId + "-" + snapshotId() + ".v2.json");
    }

    private Path v2Marker() {
        return v2File().resolveSibling(v2File().getFileName() + ".restored");
    }

    Optional<String> notNeeded() throws IOException {
        Optional<SnapshotCatalog.V2Export> export = catalog.downloadV2(snapshotId(), v2File());
        if (export.isEmpty()) {
            return StepSpec.notNeeded("snapshot " + snapshotId() + " has no v2 keyspace export (backup-service "
                    + "exports v2 keys only for clusters marked backup.v2-data: true); no v2 keys restored");
        }
        v2.set(export.get());
        if (Files.exists(v2Marker())) {
            return Optional.of(export.get().keyCount() + " v2 keys were put back by this plan");
        }
        return Optional.empty();
    }

    String restore() throws IOException {
        SnapshotCatalog.V2Export export = v2.get();
        if (export == null || !Files.isRegularFile(v2File())) {
            throw new IllegalStateException("the v2 export of " + snapshotId() + " is not downloaded");
        }
        String actual = SnapshotDownload.sha256(v2File());
        if (!actual.equalsIgnoreCase(export.sha256())) {
            throw new StepSpec.FatalStepException("sha256 of the v2 export of " + snapshotId() + " is " + actual
                    + " but the catalog says " + export.sha256() + ": refused (the v3 data is restored)");
        }
        MemberSpec target = cluster.members().get(0);
        long put = etcd.putV2(target.clientUrl(), v2File());
        Files.writeString(v2Marker(), Long.toString(put));
        return "put " + put + " v2 keys into " + target.name() + " over the v2 API (export: " + export.keyCount()
                + " keys, sha256 matches the catalog)";
    }

    void verify() {
        SnapshotCatalog.V2Export export = v2.get();
        long count = etcd.countV2(cluster.members().get(0).clientUrl());
        if (export != null && count < export.keyCount()) {
            throw new IllegalStateException("the v2 keyspace holds " + count + " keys, the export " + export.keyCount());
        }
    }
}
