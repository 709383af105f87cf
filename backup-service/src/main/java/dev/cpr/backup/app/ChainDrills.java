package dev.cpr.backup.app;

import dev.cpr.backup.config.ChangeLogConfig;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ChainCheck;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.RevisionTransaction;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Drills of the change log (issue #14 item 3): every {@code cpr.changelog.drill-interval}, for each cluster, the chain
 * after its newest verified full snapshot is read back whole, as a restore would read it: every segment's stored bytes
 * against the catalog's sha256, decoded (the codec refuses truncation and bit flips, its own trailing sha256
 * included), decoded to the revisions and count the catalog recorded, and the run checked for gaps and overlaps
 * ({@link ChainCheck}). Then (with {@code cpr.changelog.drill-replay}) it is REPLAYED ({@link ChainReplay}): the
 * snapshot restored into a scratch etcd, one transaction per original revision, the scratch etcd's revision must be
 * exactly the chain's last one and its keyspace hash the source's at that revision. The segments before the newest
 * snapshot (the older snapshots' chains, kept by retention) are read back too, and up to
 * {@code cpr.changelog.drill-older-chains-per-run} of the older chains not yet proven are replayed per pass: a
 * snapshot and its changes up to the NEXT verified snapshot's revision must give exactly that snapshot's keyspace, so
 * the replay's hash is compared with the next snapshot's, restored into a second scratch etcd (the source has usually
 * compacted that revision away). Newest first: their points in time are the likelier to be asked for, and the oldest
 * chains are the next that retention drops. A chain proven is recorded in the catalog and not replayed again, after a
 * restart or by another replica either.
 *
 * <p>The first broken part is marked in the catalog with its incident ({@link FailureKind#CHANGE_LOG_BROKEN}, id
 * {@code changelog-broken-<cluster>-<first revision>}) in one transaction: from then on the points in time and the
 * segment listing a restore reads stop before it, and the incident is opened once however many passes or replicas
 * find it again. A break found in the newest chain: a verified snapshot made after it was found and lying past it
 * restarts a restorable chain, the incident is resolved then (the mark stays for the older snapshots). A break found in
 * an older chain (a snapshot made before the find lies past it already): no snapshot brings its points back, so its
 * incident stays open while a retained verified snapshot's points are cut by it, and resolves when retention has
 * dropped the last of them.
 *
 * <p>A store that cannot be read for another reason than a missing file (an S3 outage), or a replay that cannot
 * conclude for reasons that are not the chain's (no scratch etcd, a lease of the snapshot expiring in it), makes the
 * pass inconclusive: nothing is marked, the next pass tries again.
 */
@ApplicationScoped
public class ChainDrills {

    private static final Logger LOG = Logger.getLogger(ChainDrills.class);

    /** What a drill concluded about a cluster's chain. */
    public enum Verdict {
        /** every segment after the snapshot read, matched and decoded, back to back (and replayed, when on) */
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
            long changes, Optional<BrokenChain> broken, boolean newlyMarked, String detail, Duration took,
            List<Result> olderChains) {

        public Result {
            olderChains = List.copyOf(olderChains);
        }

        /** A drill of one chain, no older chain replayed with it. */
        public Result(String clusterId, Verdict verdict, long snapshotRevision, long checkedTo, int segments,
                long changes, Optional<BrokenChain> broken, boolean newlyMarked, String detail, Duration took) {
            this(clusterId, verdict, snapshotRevision, checkedTo, segments, changes, broken, newlyMarked, detail, took,
                    List.of());
        }

        Result withOlderChains(List<Result> older) {
            return new Result(clusterId, verdict, snapshotRevision, checkedTo, segments, changes, broken, newlyMarked,
                    detail, took, older);
        }
    }

    private final Inventory inventory;
    private final BackupCatalog backups;
    private final ChangeLogCatalog changeLog;
    private final ArtifactStore store;
    private final ChangeLogMetrics metrics;
    private final Clock clock;
    private final ChainReplay replay;
    private final int olderChainsPerRun;

    /** Read-back drills only: no replay. */
    public ChainDrills(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics, Clock clock) {
        this(inventory, backups, changeLog, store, metrics, clock, (ChainReplay) null);
    }

    @Inject
    public ChainDrills(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics, Clock clock, ChainReplay replay, ChangeLogConfig config) {
        this(inventory, backups, changeLog, store, metrics, clock, config.drillReplay() ? replay : null,
                config.drillOlderChainsPerRun());
    }

    /** @param replay the replay after the read-back; null for read-back drills only */
    public ChainDrills(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics, Clock clock, ChainReplay replay) {
        this(inventory, backups, changeLog, store, metrics, clock, replay, 1);
    }

    /**
     * @param replay            the replay after the read-back; null for read-back drills only
     * @param olderChainsPerRun how many older chains a drill replays at most (0: none)
     */
    public ChainDrills(Inventory inventory, BackupCatalog backups, ChangeLogCatalog changeLog, ArtifactStore store,
            ChangeLogMetrics metrics, Clock clock, ChainReplay replay, int olderChainsPerRun) {
        this.olderChainsPerRun = olderChainsPerRun;
        this.inventory = inventory;
        this.backups = backups;
        this.changeLog = changeLog;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.replay = replay;
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
        List<BackupUpdate> verified = backups.list(clusterId, BackupStatus.VERIFIED, null,
                BackupKind.ETCD_V3_SNAPSHOT).stream().filter(b -> b.revision() != null).toList();
        Result result;
        boolean loggedWithItsChain = false;
        if (verified.isEmpty()) {
            result = new Result(clusterId, Verdict.NO_SNAPSHOT, 0, 0, 0, 0, Optional.empty(), false,
                    "no verified snapshot with a revision: no chain to drill", Duration.ZERO);
        } else {
            resolvePassed(clusterId, verified);
            Result newest = drillFrom(clusterId, verified.get(0), started);
            Optional<Result> older = drillOlder(clusterId, verified, started);
            List<Result> replayedOlder = replayOlder(clusterId, verified);
            Optional<Result> olderBroken = replayedOlder.stream().filter(r -> r.verdict() == Verdict.BROKEN)
                    .findFirst();
            Result chosen = newest.verdict() != Verdict.INTACT ? newest
                    : older.isPresent() ? older.get() : olderBroken.orElse(newest);
            result = chosen.withOlderChains(replayedOlder);
            loggedWithItsChain = olderBroken.isPresent() && chosen == olderBroken.get();
            older.filter(o -> o != chosen && o.newlyMarked()).ifPresent(o -> LOG.errorf("cluster %s: change log "
                    + "drill of the older chain: BROKEN: %s; incident %s opened", clusterId, o.detail(),
                    o.broken().orElseThrow().incidentId()));
        }
        metrics.drilled(clusterId, result.verdict().wire());
        metrics.drillTook(clusterId, took(started));
        if (loggedWithItsChain) {
            return result;
        }
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

    /**
     * Resolves the incident of every open break whose lost points no longer matter for what can be restored now. A
     * break found in the newest chain: once the newest verified snapshot lies past it and was made after the find, the
     * chain restarts restorable from it. A break found in an older chain (a snapshot made before the find lies past it
     * already, so no new snapshot changes anything about it): once no retained verified snapshot's points are cut by
     * it, retention having dropped them; until then the points listing names it and the incident stays open.
     */
    private void resolvePassed(String clusterId, List<BackupUpdate> verified) {
        BackupUpdate newest = verified.get(0);
        for (BrokenChain open : changeLog.openBreaks(clusterId)) {
            boolean foundInOlderChain = verified.stream().anyMatch(b -> !open.cuts(b.revision())
                    && b.createdAt() != null && !b.createdAt().isAfter(open.foundAt()));
            boolean passed = foundInOlderChain
                    ? verified.stream().noneMatch(b -> open.cuts(b.revision()))
                    : !open.cuts(newest.revision()) && newest.createdAt() != null
                            && newest.createdAt().isAfter(open.foundAt());
            if (!passed) {
                continue;
            }
            Instant now = clock.instant();
            boolean written = changeLog.resolveBroken(open, new IncidentResolved(open.incidentId(), clusterId,
                    FailureKind.CHANGE_LOG_BROKEN, open.foundAt(), now));
            if (written && foundInOlderChain) {
                LOG.infof("cluster %s: incident %s resolved: no retained verified snapshot needs the broken part of an "
                        + "older chain (revisions %d..%d) any more", clusterId, open.incidentId(), open.fromRevision(),
                        open.toRevision());
            } else if (written) {
                LOG.infof("cluster %s: incident %s resolved: snapshot %s at revision %d lies past the broken part "
                        + "(revisions %d..%d); the chain is restorable again from it", clusterId, open.incidentId(),
                        newest.backupId(), newest.revision(), open.fromRevision(), open.toRevision());
            }
        }
    }

    /**
     * Reads back the retained segments before the newest snapshot (the older snapshots' chains) that no mark holds
     * already: the first broken one is marked (its incident opened); a store that cannot be read leaves
     * them for the next pass. Empty when they are sound. Read back only, not replayed.
     */
    private Optional<Result> drillOlder(String clusterId, List<BackupUpdate> verified, Instant started) {
        long newest = verified.get(0).revision();
        long oldest = verified.stream().mapToLong(BackupUpdate::revision).min().orElseThrow();
        if (oldest >= newest) {
            return Optional.empty();
        }
        List<BrokenChain> marked = changeLog.broken(clusterId);
        List<StoredSegment> older = changeLog.segments(clusterId).stream()
                .filter(s -> s.segment().lastRevision() > oldest && s.segment().firstRevision() <= newest)
                .filter(s -> marked.stream().noneMatch(b -> b.fromRevision() <= s.segment().firstRevision()
                        && s.segment().lastRevision() <= b.toRevision()))
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
        for (StoredSegment stored : older) {
            Read read = read(stored);
            if (read.unreadable != null) {
                LOG.warnf("cluster %s: change log drill of the older chain: segment %d..%d: %s", clusterId,
                        stored.segment().firstRevision(), stored.segment().lastRevision(), read.unreadable);
                return Optional.empty();
            }
            if (read.problem != null) {
                Segment segment = stored.segment();
                Result found = broken(clusterId, oldest, segment.firstRevision() - 1, 0, 0, new BrokenChain(
                        clusterId, segment.firstRevision(), segment.lastRevision(), read.problem + " (before the "
                        + "newest snapshot at " + newest + ": the older snapshots' points in time)", clock.instant()),
                        started);
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    /**
     * Replays up to {@link #olderChainsPerRun} older chains not yet proven, newest first: each verified snapshot's
     * segments up to the next verified snapshot (by revision), compared with that snapshot's keyspace. A chain a mark
     * holds already, or one its segments do not cover to the next snapshot (a gap, or the history before a restore
     * whose segments were forgotten), is left out.
     */
    private List<Result> replayOlder(String clusterId, List<BackupUpdate> verified) {
        if (replay == null || olderChainsPerRun <= 0) {
            return List.of();
        }
        List<BackupUpdate> byRevision = verified.stream().sorted(Comparator.comparingLong(BackupUpdate::revision))
                .toList();
        List<BrokenChain> marked = changeLog.broken(clusterId);
        List<StoredSegment> all = changeLog.segments(clusterId);
        List<Result> results = new ArrayList<>();
        for (int i = byRevision.size() - 2; i >= 0 && results.size() < olderChainsPerRun; i--) {
            BackupUpdate from = byRevision.get(i);
            BackupUpdate next = byRevision.get(i + 1);
            if (next.revision() <= from.revision() || changeLog.isProven(clusterId, from.backupId(), next.backupId())
                    || marked.stream().anyMatch(b -> b.fromRevision() <= next.revision()
                            && b.toRevision() > from.revision())) {
                continue;
            }
            List<StoredSegment> segments = all.stream().filter(s -> s.segment().lastRevision() > from.revision()
                    && s.segment().firstRevision() <= next.revision())
                    .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
            if (ChainCheck.check(from.revision(), segments.stream().map(StoredSegment::segment).toList())
                    .coveredTo() < next.revision()) {
                continue;
            }
            Result result = replayOlderChain(clusterId, from, next, segments);
            results.add(result);
            String chain = "older chain from snapshot " + from.backupId() + " at " + from.revision()
                    + " to snapshot " + next.backupId() + " at " + next.revision();
            switch (result.verdict()) {
                case INTACT -> LOG.infof("cluster %s: %s proven by replay: %s", clusterId, chain, result.detail());
                case BROKEN -> {
                    if (result.newlyMarked()) {
                        LOG.errorf("cluster %s: %s: BROKEN: %s; incident %s opened", clusterId, chain,
                                result.detail(), result.broken().orElseThrow().incidentId());
                    } else {
                        LOG.debugf("cluster %s: %s: broken, marked before: %s", clusterId, chain, result.detail());
                    }
                }
                default -> LOG.warnf("cluster %s: %s: replay inconclusive: %s", clusterId, chain, result.detail());
            }
        }
        return results;
    }

    /** One older chain read back and replayed from {@code from} to exactly {@code next}'s revision. */
    private Result replayOlderChain(String clusterId, BackupUpdate from, BackupUpdate next,
            List<StoredSegment> segments) {
        Instant started = clock.instant();
        long fromRevision = from.revision();
        long to = next.revision();
        List<Change> decoded = new ArrayList<>();
        long changes = 0;
        for (StoredSegment stored : segments) {
            Read back = read(stored);
            if (back.unreadable != null) {
                metrics.olderChainReplayed(clusterId, "inconclusive");
                return new Result(clusterId, Verdict.INCONCLUSIVE, fromRevision, fromRevision, 0, 0, Optional.empty(),
                        false, back.unreadable, took(started));
            }
            if (back.problem != null) {
                Segment segment = stored.segment();
                return broken(clusterId, fromRevision, segment.firstRevision() - 1, 0, 0, new BrokenChain(clusterId,
                        segment.firstRevision(), segment.lastRevision(), back.problem, clock.instant()), started);
            }
            changes += back.changes.size();
            back.changes.stream().filter(c -> c.revision() > fromRevision && c.revision() <= to).forEach(decoded::add);
        }
        int sound = segments.size();
        Grouped grouped = group(clusterId, decoded, segments, to);
        if (grouped.unreplayable() != null) {
            return broken(clusterId, fromRevision, grouped.unreplayable().fromRevision() - 1, sound, changes,
                    grouped.unreplayable(), started);
        }
        List<RevisionTransaction> transactions = grouped.transactions();
        Optional<DrillExpectation> expectedFrom = backups.expectation(UUID.fromString(from.backupId()));
        Optional<DrillExpectation> expectedNext = backups.expectation(UUID.fromString(next.backupId()));
        if (expectedFrom.isEmpty() || expectedNext.isEmpty()) {
            metrics.olderChainReplayed(clusterId, "inconclusive");
            return new Result(clusterId, Verdict.INCONCLUSIVE, fromRevision, fromRevision, sound, changes,
                    Optional.empty(), false, "not replayed: snapshot " + (expectedFrom.isEmpty() ? from : next)
                            .backupId() + " has no recorded expectation", took(started));
        }
        ChainReplay.Outcome outcome = replay.replay(new ChainReplay.Request(
                inventory.cluster(clusterId).orElseThrow(), "cluster " + clusterId + " older chain after snapshot "
                        + from.backupId(), from.location(), Compression.fromWire(from.compression()),
                expectedFrom.get(), fromRevision, to, transactions,
                segments.stream().map(s -> Math.min(s.segment().lastRevision(), to)).distinct().toList(),
                new ChainReplay.NextSnapshot(next.backupId(), next.location(),
                        Compression.fromWire(next.compression()), expectedNext.get(), to)));
        metrics.olderChainReplayed(clusterId, outcome.verdict().name().toLowerCase(Locale.ROOT));
        String what = "revisions " + (fromRevision + 1) + ".." + to + " from the snapshot at " + fromRevision
                + " to the next snapshot " + next.backupId() + " at " + to;
        return switch (outcome.verdict()) {
            case MATCHED -> {
                changeLog.proven(new ProvenChain(clusterId, from.backupId(), next.backupId(), clock.instant()));
                yield new Result(clusterId, Verdict.INTACT, fromRevision, to, sound, changes, Optional.empty(), false,
                        what + " replayed in " + outcome.took().toMillis() + " ms: " + outcome.detail(),
                        took(started));
            }
            case INCONCLUSIVE -> new Result(clusterId, Verdict.INCONCLUSIVE, fromRevision, fromRevision, sound,
                    changes, Optional.empty(), false, what + ": the replay concluded nothing: " + outcome.detail(),
                    took(started));
            case FAULT -> {
                // the fault lies in the revisions replayed (after the snapshot, up to the next one): the mark says no
                // more, so the next snapshot's own points are not cut by a segment straddling it
                StoredSegment first = holding(segments, outcome.faultFrom());
                StoredSegment last = holding(segments, outcome.faultTo());
                long markFrom = Math.max(first.segment().firstRevision(), fromRevision + 1);
                yield broken(clusterId, fromRevision, markFrom - 1, sound, changes, new BrokenChain(clusterId,
                        markFrom, Math.min(last.segment().lastRevision(), to), "replayed into a scratch etcd from "
                                + "the snapshot at " + fromRevision + " to the next snapshot " + next.backupId()
                                + " at " + to + ": " + outcome.detail() + " (segments from " + first.location() + ")",
                        clock.instant()), started);
            }
        };
    }

    private Result drillFrom(String clusterId, BackupUpdate snapshot, Instant started) {
        long snapshotRevision = snapshot.revision();
        List<StoredSegment> after = changeLog.segments(clusterId).stream()
                .filter(s -> s.segment().lastRevision() > snapshotRevision)
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
        ChainCheck.Report chain = ChainCheck.check(snapshotRevision, after.stream().map(StoredSegment::segment).toList());
        long checkedTo = snapshotRevision;
        int sound = 0;
        long changes = 0;
        List<StoredSegment> read = new ArrayList<>();
        List<Change> decoded = new ArrayList<>();
        for (StoredSegment stored : after) {
            Segment segment = stored.segment();
            if (segment.lastRevision() > chain.coveredTo()) {
                break; // past the first gap or overlap: named below
            }
            Read back = read(stored);
            if (back.unreadable != null) {
                return new Result(clusterId, Verdict.INCONCLUSIVE, snapshotRevision, checkedTo, sound, changes,
                        Optional.empty(), false, back.unreadable, took(started));
            }
            if (back.problem != null) {
                return broken(clusterId, snapshotRevision, checkedTo, sound, changes, new BrokenChain(clusterId,
                        segment.firstRevision(), segment.lastRevision(), back.problem, clock.instant()), started);
            }
            checkedTo = segment.lastRevision();
            sound++;
            changes += back.changes.size();
            read.add(stored);
            back.changes.stream().filter(c -> c.revision() > snapshotRevision).forEach(decoded::add);
        }
        if (!chain.unbroken()) {
            ChainCheck.Break first = chain.breaks().get(0);
            return broken(clusterId, snapshotRevision, checkedTo, sound, changes, new BrokenChain(clusterId,
                    first.after() + 1, first.to(), first.describe(), clock.instant()), started);
        }
        String readBack = sound + " segments, " + changes + " changes, revisions " + (snapshotRevision + 1) + ".."
                + checkedTo + " after the snapshot at " + snapshotRevision + " read back whole";
        if (replay == null || read.isEmpty()) {
            return new Result(clusterId, Verdict.INTACT, snapshotRevision, checkedTo, sound, changes, Optional.empty(),
                    false, readBack, took(started));
        }
        return replayed(clusterId, snapshot, read, decoded, checkedTo, sound, changes, readBack, started);
    }

    /** The chain read back whole, replayed into a scratch etcd restored from the snapshot. */
    private Result replayed(String clusterId, BackupUpdate snapshot, List<StoredSegment> segments,
            List<Change> changesAfter, long checkedTo, int sound, long changes, String readBack, Instant started) {
        long snapshotRevision = snapshot.revision();
        Grouped grouped = group(clusterId, changesAfter, segments, Long.MAX_VALUE);
        if (grouped.unreplayable() != null) {
            return broken(clusterId, snapshotRevision, grouped.unreplayable().fromRevision() - 1, sound, changes,
                    grouped.unreplayable(), started);
        }
        List<RevisionTransaction> transactions = grouped.transactions();
        Optional<DrillExpectation> expected = backups.expectation(UUID.fromString(snapshot.backupId()));
        if (expected.isEmpty()) {
            return new Result(clusterId, Verdict.INCONCLUSIVE, snapshotRevision, checkedTo, sound, changes,
                    Optional.empty(), false, readBack + "; not replayed: snapshot " + snapshot.backupId()
                            + " has no recorded expectation", took(started));
        }
        ChainReplay.Outcome outcome = replay.replay(new ChainReplay.Request(inventory.cluster(clusterId).orElseThrow(),
                "cluster " + clusterId + " chain after snapshot " + snapshot.backupId(), snapshot.location(),
                Compression.fromWire(snapshot.compression()), expected.get(), snapshotRevision, checkedTo,
                transactions,
                segments.stream().map(s -> s.segment().lastRevision()).toList()));
        metrics.replayTook(clusterId, outcome.verdict().name().toLowerCase(Locale.ROOT), outcome.took());
        return switch (outcome.verdict()) {
            case MATCHED -> new Result(clusterId, Verdict.INTACT, snapshotRevision, checkedTo, sound, changes,
                    Optional.empty(), false, readBack + "; replayed into a scratch etcd in "
                            + outcome.took().toMillis() + " ms: " + outcome.detail(), took(started));
            case INCONCLUSIVE -> new Result(clusterId, Verdict.INCONCLUSIVE, snapshotRevision, checkedTo, sound,
                    changes, Optional.empty(), false, readBack + "; the replay concluded nothing: "
                            + outcome.detail(), took(started));
            case FAULT -> {
                StoredSegment first = holding(segments, outcome.faultFrom());
                StoredSegment last = holding(segments, outcome.faultTo());
                yield broken(clusterId, snapshotRevision, first.segment().firstRevision() - 1, sound, changes,
                        new BrokenChain(clusterId, first.segment().firstRevision(), last.segment().lastRevision(),
                                "replayed into a scratch etcd from the snapshot at " + snapshotRevision + ": "
                                        + outcome.detail() + " (segments from " + first.location() + ")",
                                clock.instant()), started);
            }
        };
    }

    /** One transaction per revision, or the break a revision that cannot be replayed as one makes in the chain. */
    private record Grouped(List<RevisionTransaction> transactions, BrokenChain unreplayable) {
    }

    /**
     * Groups the changes one transaction per original revision; a revision that cannot be breaks the chain at the
     * segment holding it, marked up to {@code upTo} at most (an older chain's mark stops at the next snapshot).
     */
    private Grouped group(String clusterId, List<Change> changes, List<StoredSegment> segments, long upTo) {
        try {
            return new Grouped(RevisionTransaction.group(changes), null);
        } catch (RevisionTransaction.NotReplayable e) {
            StoredSegment at = holding(segments, e.revision());
            return new Grouped(List.of(), new BrokenChain(clusterId, at.segment().firstRevision(),
                    Math.min(at.segment().lastRevision(), upTo), at.segment() + " at " + at.location() + ": "
                            + e.getMessage(), clock.instant()));
        }
    }

    /** The segment holding a revision (the last one when past them all, the first when before them). */
    private static StoredSegment holding(List<StoredSegment> segments, long revision) {
        return segments.stream().filter(s -> s.segment().lastRevision() >= revision).findFirst()
                .orElse(segments.get(segments.size() - 1));
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
    private record Read(List<Change> changes, String problem, String unreadable) {
    }

    private Read read(StoredSegment stored) {
        Segment cataloged = stored.segment();
        byte[] bytes;
        try (InputStream in = store.open(stored.location())) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            return new Read(List.of(), cataloged + " is missing from " + store.describe() + " (" + stored.location() + ")",
                    null);
        } catch (IOException e) {
            return new Read(List.of(), null, cataloged + " at " + stored.location() + " could not be read: " + e);
        }
        Segment decoded;
        List<Change> changes;
        try {
            SegmentCodec.Decoded whole = SegmentCodec.decode(bytes, cataloged.sha256());
            decoded = whole.segment();
            changes = whole.changes();
        } catch (CorruptSegmentException e) {
            return new Read(List.of(), cataloged + " at " + stored.location() + " is corrupt: " + e.getMessage(), null);
        }
        if (decoded.firstRevision() != cataloged.firstRevision() || decoded.lastRevision() != cataloged.lastRevision()
                || decoded.count() != cataloged.count()) {
            return new Read(List.of(), cataloged + " at " + stored.location() + " decodes to revisions "
                    + decoded.firstRevision() + ".." + decoded.lastRevision() + " (" + decoded.count()
                    + " changes), not what the catalog recorded", null);
        }
        return new Read(changes, null, null);
    }

    private Duration took(Instant started) {
        return Duration.between(started, clock.instant());
    }
}
