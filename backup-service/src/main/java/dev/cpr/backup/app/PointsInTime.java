package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.ChainCheck;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The moments a cluster can be brought back to: each verified full snapshot, and the revisions and time its change
 * log covers without a break after it, with every gap or overlap named.
 */
@ApplicationScoped
public class PointsInTime {

    /**
     * One verified snapshot and the unbroken change log after it.
     *
     * @param revision       the snapshot's own revision
     * @param coveredTo      the last revision reachable from it without a break ({@code revision} when none)
     * @param coveredFrom    when the first change after it was seen (null when no change is covered)
     * @param coveredUntil   when the change at {@code coveredTo} was seen (null when no change is covered)
     * @param segments       the segments of the unbroken part
     * @param breaks         each gap and overlap after the snapshot, e.g. "gap: revisions 151..155 are missing after 150"
     */
    public record PointInTime(String backupId, long revision, Instant takenAt, long coveredTo, Instant coveredFrom,
            Instant coveredUntil, int segments, List<String> breaks) {
    }

    private final Inventory inventory;
    private final BackupCatalog backups;
    private final ChangeLogCatalog changeLog;

    public PointsInTime(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog) {
        this.inventory = inventory;
        this.backups = backups;
        this.changeLog = changeLog;
    }

    /** Newest snapshot first. */
    public List<PointInTime> of(String clusterId) {
        if (inventory.cluster(clusterId).isEmpty()) {
            throw BackupRequestRefused.notFound("no cluster '" + clusterId + "' in the inventory");
        }
        List<Segment> segments = changeLog.segments(clusterId).stream().map(StoredSegment::segment).toList();
        return backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT).stream()
                .filter(b -> b.revision() != null)
                .map(b -> pointOf(b, ChainCheck.check(b.revision(), segments)))
                .toList();
    }

    private static PointInTime pointOf(BackupUpdate backup, ChainCheck.Report chain) {
        return new PointInTime(backup.backupId(), chain.snapshotRevision(), backup.createdAt(), chain.coveredTo(),
                chain.coveredFrom(), chain.coveredUntil(), chain.segments(),
                chain.breaks().stream().map(ChainCheck.Break::describe).toList());
    }
}
