package dev.cpr.backup.app;

import dev.cpr.backup.config.ChangeLogConfig;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ChainCheck;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Drills of the change log (issue #14 item 3): every {@code cpr.changelog.drill-interval}, for each cluster, the chain
 * after its newest verified full snapshot is read back whole, as a restore would read it: every segment's stored bytes
 * against the catalog's sha256, decoded (the codec refuses truncation and bit flips, its own trailing sha256
 * included), decoded to the revisions and count the catalog recorded, and the run checked for gaps and overlaps
 * ({@link ChainCheck}). The first broken part is marked in the catalog with its incident ({@link
 * FailureKind#CHANGE_LOG_BROKEN}, id {@code changelog-broken-<cluster>-<first revision>}) in one transaction: from then
 * on the points in time and the segment listing a restore reads stop before it, and the incident is opened once
 * however many passes or replicas find it again.
 *
 * <p>A store that cannot be read for another reason than a missing file (an S3 outage) makes the pass inconclusive:
 * nothing is marked, the next pass reads again. The changes are not replayed into a scratch etcd here: a segment that
 * decodes is checked as bytes and revisions, not against a keyspace.
 */
@ApplicationScoped
public class ChainDrills {

    private static final Logger LOG = Logger.getLogger(ChainDrills.class);

    /** What a drill concluded about a cluster's chain. */
    public enum Verdict {
        /** every segment after the snapshot read, matched and decoded, back to back */
        INTACT,
        /** a part is not restorable (marked) */
        BROKEN,
        /** the store could not be read: nothing concluded, nothing marked */
        INCONCLUSIVE,
        /** no verified full snapshot with a revision: no chain to drill */
        NO_SNAPSHOT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One drill of one cluster's chain.
     *
     * @param snapshotRevision the revision of the snapshot the chain starts from (0 with {@link Verdict#NO_SNAPSHOT})
     * @param checkedTo        the last revision read back and found sound ({@code snapshotRevision} when none)
     * @param segments         the segments read back and found sound
     * @param changes          the changes they hold
     * @param broken           the broken part found, with {@link Verdict#BROKEN}
     * @param newlyMarked      whether this drill marked it (false: marked before, by this or another replica)
     */
    public record Result(String clusterId, Verdict verdict, long snapshotRevision, long checkedTo, int segments,
            long changes, Optional<BrokenChain> broken, boolean newlyMarked, String detail, Duration took) {
    }

    private final Inventory inventory;
    private final BackupCatalog backups;
    private final ChangeLogCatalog changeLog;
    private final ArtifactStore store;
    private final ChangeLogMetrics metrics;
    private final Clock clock;

    public ChainDrills(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics, Clock clock) {
        this.inventory = inventory;
        this.backups = backups;
        this.changeLog = changeLog;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start, ChangeLogConfig config, Scheduler scheduler) {
        if (!config.enabled() || config.drillInterval().isZero()) {
            return;
        }
        scheduler.newJob("changelog-drill")
                .setInterval(config.drillInterval().toSeconds() + "s")
                .setDelayed(config.drillInterval().toSeconds() + "s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> drillAll())
                .schedule();
        LOG.infof("change log drills every %s", config.drillInterval());
    }

    /** Drills every cluster with members; one cluster's failure does not stop the others. */
    public void drillAll() {
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.members().isEmpty()) {
                continue;
            }
            try {
                drill(cluster.id());
            } catch (RuntimeException e) {
                LOG.errorf(e, "cluster %s: change log drill failed", cluster.id());
            }
        }
    }

    /** Drills one cluster's chain now (blocking). */
    public Result drill(String clusterId) {
        Instant started = clock.instant();
        Optional<Long> snapshot = backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT)
                .stream().map(BackupUpdate::revision).filter(r -> r != null).findFirst();
        Result result = snapshot.isEmpty()
                ? new Result(clusterId, Verdict.NO_SNAPSHOT, 0, 0, 0, 0, Optional.empty(), false,
                        "no verified snapshot with a revision: no chain to drill", Duration.ZERO)
                : drillFrom(clusterId, snapshot.get(), started);
        metrics.drilled(clusterId, result.verdict().wire());
        switch (result.verdict()) {
            case INTACT -> LOG.infof("cluster %s: change log drill: intact: %s", clusterId, result.detail());
            case BROKEN -> {
                if (result.newlyMarked()) {
                    LOG.errorf("cluster %s: change log drill: BROKEN: %s; incident %s opened", clusterId,
                            result.detail(), result.broken().orElseThrow().incidentId());
                } else {
                    LOG.debugf("cluster %s: change log drill: broken, marked before: %s", clusterId, result.detail());
                }
            }
            case INCONCLUSIVE -> LOG.warnf("cluster %s: change log drill inconclusive: %s", clusterId,
                    result.detail());
            case NO_SNAPSHOT -> LOG.debugf("cluster %s: change log drill: %s", clusterId, result.detail());
        }
        return result;
    }

    private Result drillFrom(String clusterId, long snapshotRevision, Instant started) {
        List<StoredSegment> after = changeLog.segments(clusterId).stream()
                .filter(s -> s.segment().lastRevision() > snapshotRevision)
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
        ChainCheck.Report chain = ChainCheck.check(snapshotRevision, after.stream().map(StoredSegment::segment).toList());
        long checkedTo = snapshotRevision;
        int sound = 0;
        long changes = 0;
        for (StoredSegment stored : after) {
            Segment segment = stored.segment();
            if (segment.lastRevision() > chain.coveredTo()) {
                break; // past the first gap or overlap: named below
            }
            Read read = read(stored);
            if (read.unreadable != null) {
                return new Result(clusterId, Verdict.INCONCLUSIVE, snapshotRevision, checkedTo, sound, changes,
                        Optional.empty(), false, read.unreadable, took(started));
            }
            if (read.problem != null) {
                return broken(clusterId, snapshotRevision, checkedTo, sound, changes, new BrokenChain(clusterId,
                        segment.firstRevision(), segment.lastRevision(), read.problem, clock.instant()), started);
            }
            checkedTo = segment.lastRevision();
            sound++;
            changes += read.changes;
        }
        if (!chain.unbroken()) {
            ChainCheck.Break first = chain.breaks().get(0);
            return broken(clusterId, snapshotRevision, checkedTo, sound, changes, new BrokenChain(clusterId,
                    first.after() + 1, first.to(), first.describe(), clock.instant()), started);
        }
        return new Result(clusterId, Verdict.INTACT, snapshotRevision, checkedTo, sound, changes, Optional.empty(),
                false, sound + " segments, " + changes + " changes, revisions " + (snapshotRevision + 1) + ".."
                        + checkedTo + " after the snapshot at " + snapshotRevision + " read back whole",
                took(started));
    }

    private Result broken(String clusterId, long snapshotRevision, long checkedTo, int sound, long changes,
            BrokenChain broken, Instant started) {
        Instant now = clock.instant();
        IncidentOpened incident = new IncidentOpened(broken.incidentId(), clusterId, FailureKind.CHANGE_LOG_BROKEN,
                List.of(), List.of(), FailureKind.CHANGE_LOG_BROKEN.label() + ": " + broken.describe(), now, now);
        boolean marked = changeLog.markBroken(broken, incident);
        return new Result(clusterId, Verdict.BROKEN, snapshotRevision, checkedTo, sound, changes, Optional.of(broken),
                marked, broken.describe() + " (after the snapshot at " + snapshotRevision + ", sound to " + checkedTo
                        + ")", took(started));
    }

    /** A segment read back: its change count, or what is wrong with it (broken), or why it could not be read. */
    private record Read(long changes, String problem, String unreadable) {
    }

    private Read read(StoredSegment stored) {
        Segment cataloged = stored.segment();
        byte[] bytes;
        try (InputStream in = store.open(stored.location())) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            return new Read(0, cataloged + " is missing from " + store.describe() + " (" + stored.location() + ")",
                    null);
        } catch (IOException e) {
            return new Read(0, null, cataloged + " at " + stored.location() + " could not be read: " + e);
        }
        Segment decoded;
        try {
            decoded = SegmentCodec.decode(bytes, cataloged.sha256()).segment();
        } catch (CorruptSegmentException e) {
            return new Read(0, cataloged + " at " + stored.location() + " is corrupt: " + e.getMessage(), null);
        }
        if (decoded.firstRevision() != cataloged.firstRevision() || decoded.lastRevision() != cataloged.lastRevision()
                || decoded.count() != cataloged.count()) {
            return new Read(0, cataloged + " at " + stored.location() + " decodes to revisions "
                    + decoded.firstRevision() + ".." + decoded.lastRevision() + " (" + decoded.count()
                    + " changes), not what the catalog recorded", null);
        }
        return new Read(decoded.count(), null, null);
    }

    private Duration took(Instant started) {
        return Duration.between(started, clock.instant());
    }
}
