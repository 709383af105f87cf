package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.BrokenChain;
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
import java.util.stream.Stream;

/**
 * The moments a cluster can be brought back to: each verified full snapshot, and the revisions and time its change
 * log covers without a break after it, with every gap or overlap named. A part a chain drill found not restorable
 * ({@link BrokenChain}) ends the coverage of every snapshot whose replay would need it.
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
     * @param breaks         each gap and overlap after the snapshot, e.g. "gap: revisions 151..155 are missing after 150",
     *                       then each part a drill found not restorable, e.g. "not restorable from revision 156 (to
     *                       170): ... is corrupt: ..."
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
        List<BrokenChain> broken = changeLog.broken(clusterId);
        return backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT).stream()
                .filter(b -> b.revision() != null)
                .map(b -> pointOf(b, segments, broken))
                .toList();
    }

    private static PointInTime pointOf(BackupUpdate backup, List<Segment> segments, List<BrokenChain> broken) {
        long snapshot = backup.revision();
        long cut = BrokenChain.firstUnrestorable(snapshot, broken);
        ChainCheck.Report chain = ChainCheck.check(snapshot, segments.stream().filter(s -> s.lastRevision() < cut)
                .toList());
        List<String> breaks = Stream.concat(chain.breaks().stream().map(ChainCheck.Break::describe),
                broken.stream().filter(b -> b.cuts(snapshot)).map(BrokenChain::describe)).toList();
        return new PointInTime(backup.backupId(), chain.snapshotRevision(), backup.createdAt(), chain.coveredTo(),
                chain.coveredFrom(), chain.coveredUntil(), chain.segments(), breaks);
    }
}
