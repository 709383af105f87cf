package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.SegmentRetention;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Deletes the change-log segments no retained snapshot can be extended by ({@link SegmentRetention}): after snapshot
 * retention and on every housekeeping pass, and the files of a chain forgotten after a restore. Rows go first, files
 * after: a process that dies between leaves a file without a row (garbage), never a row pointing at a missing file.
 */
@ApplicationScoped
public class ChangeLogRetention {

    private static final Logger LOG = Logger.getLogger(ChangeLogRetention.class);

    private final BackupCatalog backups;
    private final ChangeLogCatalog changeLog;
    private final ArtifactStore store;
    private final ChangeLogMetrics metrics;

    public ChangeLogRetention(BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics) {
        this.backups = backups;
        this.changeLog = changeLog;
        this.store = store;
        this.metrics = metrics;
    }

    /** Deletes the cluster's segments at or before its lowest verified snapshot revision; returns them. */
    public List<StoredSegment> apply(String clusterId) {
        OptionalLong neededAfter = SegmentRetention.neededAfter(
                backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT).stream()
                        .map(BackupUpdate::revision).toList());
        if (neededAfter.isEmpty()) {
            return List.of(); // no restorable snapshot: the segments may be all there is
        }
        // only segments starting at or before the line can have expired: the query stays small on a long log
        List<StoredSegment> expired = SegmentRetention.expired(
                changeLog.segments(clusterId, 0, neededAfter.getAsLong()), neededAfter);
        if (expired.isEmpty()) {
            return List.of();
        }
        int removed = changeLog.remove(clusterId, expired);
        deleteFiles(expired);
        metrics.removed(clusterId, "retention", removed);
        LOG.infof("cluster %s: %d change-log segments (revisions %d..%d) deleted: every retained verified snapshot is "
                + "at revision %d or later", clusterId, removed, expired.get(0).segment().firstRevision(),
                expired.get(expired.size() - 1).segment().lastRevision(), neededAfter.getAsLong());
        return expired;
    }

    /**
     * Forgets the cluster's whole chain (etcd was restored: its revisions belong to another history) and deletes its
     * files once the rows are gone.
     */
    public List<StoredSegment> forget(String clusterId) {
        List<StoredSegment> forgotten = changeLog.forget(clusterId);
        deleteFiles(forgotten);
        metrics.removed(clusterId, "new-chain", forgotten.size());
        if (!forgotten.isEmpty()) {
            LOG.infof("cluster %s: the %d files of the forgotten chain (revisions %d..%d) deleted from %s", clusterId,
                    forgotten.size(), forgotten.get(0).segment().firstRevision(),
                    forgotten.get(forgotten.size() - 1).segment().lastRevision(), store.describe());
        }
        return forgotten;
    }

    private void deleteFiles(List<StoredSegment> segments) {
        segments.forEach(s -> ArtifactCleanup.deleteQuietly(store, s.location()));
    }
}
