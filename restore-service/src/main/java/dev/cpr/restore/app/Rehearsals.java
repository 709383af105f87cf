package dev.cpr.restore.app;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plans.EtcdQuorumRestoreType;
import dev.cpr.restore.domain.plans.PlanPorts;
import dev.cpr.restore.domain.plans.SnapshotChoice;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.rehearsal.HashCheck;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import dev.cpr.restore.domain.rehearsal.RehearsalPlanStore;
import dev.cpr.restore.domain.rehearsal.RehearsalVerdict;
import dev.cpr.restore.domain.rehearsal.ScratchChangeLog;
import dev.cpr.restore.domain.rehearsal.ScratchCluster;
import dev.cpr.restore.domain.rehearsal.ScratchNeed;
import dev.cpr.restore.domain.rehearsal.ScratchPlanPorts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Issue #14: a rehearsal runs the whole quorum-restore plan of a cluster against a scratch cluster and records its
 * recovery time, so the RTO is known before it is needed.
 * <p>
 * The plan is the one a quorum loss proposes ({@link EtcdQuorumRestoreType#proposeNewestPoint}: the real cluster's
 * newest verified snapshot, then its change log to the newest durable point) and runs the same steps through the same
 * {@link PlanEngine}, with the scratch cluster's spec: its own id, its own members on other ports under the scratch
 * directory. It is refused before anything starts if the scratch spec shares an id, URL, data directory or pid file
 * with any cluster of the inventory. The plan lives in memory only ({@link RehearsalPlanStore}): no incident, no event
 * on the recoveries topic (so no Slack message), never listed among the cluster's plans, and the one-plan-per-cluster
 * and meltdown guards never see it. Its outcome is a row of {@code rehearsals}. The scratch cluster is torn down
 * afterwards whatever happened, and a leftover fails the rehearsal.
 * <p>
 * One rehearsal at a time on a replica. On schedule ({@code cpr.restore.rehearsal.enabled}), a cluster is rehearsed
 * when its newest recorded rehearsal (by any replica) started {@code interval} ago or more, by the replica that claims
 * it ({@link RehearsalStore#claim}). Before a scratch cluster is made, its need ({@link ScratchNeed}) is checked
 * against the scratch budget and the room the host has; a rehearsal that would outgrow them is refused and recorded
 * FAILED.
 */
@ApplicationScoped
public class Rehearsals {

    private static final Logger LOG = Logger.getLogger(Rehearsals.class);

    /** How often the schedule looks for a due cluster (at most; a shorter interval looks as often as it says). */
    private static final Duration LOOK = Duration.ofMinutes(5);

    /**
     * @param clusters           the clusters rehearsed on schedule; empty: every cluster of {@code kind: etcd}
     * @param scratchBudgetBytes the most disk a scratch cluster may take ({@link ScratchNeed})
     * @param replicaId          this replica's name in a schedule's claim (the plan runner's)
     */
    public record Settings(boolean enabled, Duration interval, List<String> clusters, long scratchBudgetBytes,
            String replicaId) {
    }

    private final Inventory inventory;
    private final PlanPorts ports;
    private final ScratchClusters scratchClusters;
    private final RehearsalStore store;
    private final RehearsalMetrics metrics;
    private final Clock clock;
    private final Settings settings;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private final ExecutorService steps = Executors.newCachedThreadPool(daemon("cpr-rehearsal-step"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("cpr-rehearsal"));

    @Inject
    public Rehearsals(Inventory inventory, PlanPorts ports, ScratchClusters scratchClusters, RehearsalStore store,
            RehearsalMetrics metrics, Clock clock, RestoreConfig config, PlanRunner runner) {
        this(inventory, ports, scratchClusters, store, metrics, clock, new Settings(config.rehearsal().enabled(),
                config.rehearsal().interval(), config.rehearsal().clusters().orElse(List.of()),
                config.rehearsal().scratchBudget().asLongValue(), runner.runnerId()));
    }

    public Rehearsals(Inventory inventory, PlanPorts ports, ScratchClusters scratchClusters, RehearsalStore store,
            RehearsalMetrics metrics, Clock clock, Settings settings) {
        this.inventory = inventory;
        this.ports = ports;
        this.scratchClusters = scratchClusters;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("quorum-restore rehearsals are off (cpr.restore.rehearsal.enabled=false); POST "
                    + "/api/v1/clusters/{id}/rehearsals runs one");
            return;
        }
        long look = Math.min(LOOK.toMillis(), settings.interval().toMillis());
        LOG.infof("quorum-restore rehearsals every %s of %s, each within a scratch budget of %d MiB",
                settings.interval(), scheduled().stream().map(ClusterSpec::id).toList(),
                settings.scratchBudgetBytes() / (1024 * 1024));
        timer.scheduleWithFixedDelay(this::rehearseDue, look, look, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        steps.shutdownNow();
    }

    /** The clusters the schedule rehearses. */
    List<ClusterSpec> scheduled() {
        if (!settings.clusters().isEmpty()) {
            return settings.clusters().stream().map(id -> inventory.cluster(id).orElse(null))
                    .filter(c -> c != null && c.kind() == ClusterKind.ETCD).toList();
        }
        return inventory.clusters().stream().filter(c -> c.kind() == ClusterKind.ETCD).toList();
    }

    /**
     * Every scheduled cluster whose newest rehearsal is {@code interval} old or older (or that has none), in turn, each
     * once this replica has claimed it. The claim lasts half the interval: long enough for the rehearsal it covers,
     * over well before the next is due.
     */
    void rehearseDue() {
        for (ClusterSpec cluster : scheduled()) {
            try {
                Optional<Rehearsal> newest = store.list(Optional.of(cluster.id()), 1).stream().findFirst();
                Instant now = clock.instant();
                if (newest.isPresent() && newest.get().startedAt().plus(settings.interval()).isAfter(now)) {
                    continue;
                }
                if (!store.claim(cluster.id(), settings.replicaId(), now, now.plus(settings.interval().dividedBy(2)))) {
                    LOG.debugf("rehearsal of %s is due but claimed by another replica", cluster.id());
                    continue;
                }
                rehearse(cluster.id());
            } catch (RecoveryRequestRefused busy) {
                LOG.infof("rehearsal of %s skipped: %s", cluster.id(), busy.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "rehearsal of %s could not run or be recorded", cluster.id());
            }
        }
    }

    /**
     * Rehearses the cluster's quorum restore now, on the calling thread (minutes for a large snapshot), and records it.
     *
     * @throws RecoveryRequestRefused not found for a cluster not in the inventory, bad request for one whose quorum
     *                                loss is not recovered by {@code etcd-quorum-restore}, conflict while another
     *                                rehearsal runs on this replica
     */
    public Rehearsal rehearse(String clusterId) {
        ClusterSpec source = inventory.cluster(clusterId).orElseThrow(() -> RecoveryRequestRefused.notFound(
                "cluster '" + clusterId + "' is not in the inventory; known clusters: "
                        + inventory.clusters().stream().map(ClusterSpec::id).toList()));
        if (source.kind() != ClusterKind.ETCD) {
            throw RecoveryRequestRefused.badRequest("Not rehearsed", "cluster '" + clusterId + "' is of kind "
                    + source.kind().name().toLowerCase() + ": its quorum loss is not recovered by etcd-quorum-restore, "
                    + "which is what a rehearsal runs");
        }
        if (!oneAtATime.tryLock()) {
            throw RecoveryRequestRefused.conflict("another rehearsal is running on this replica; try again when it has "
                    + "ended");
        }
        try {
            Rehearsal done = run(source, UUID.randomUUID().toString());
            store.record(done);
            metrics.finished(done);
            if (done.verdict() == Rehearsal.Verdict.PASSED) {
                LOG.infof("rehearsal %s of %s's quorum restore passed: %s", done.id(), clusterId, done.reason());
            } else {
                LOG.warnf("rehearsal %s of %s's quorum restore FAILED: %s", done.id(), clusterId, done.reason());
            }
            return done;
        } finally {
            oneAtATime.unlock();
        }
    }

    private Rehearsal run(ClusterSpec source, String id) {
        Instant started = clock.instant();
        String scratchId = ScratchCluster.id(source.id(), id);
        SnapshotChoice choice = EtcdQuorumRestoreType.chooseSnapshot(ports.catalog(), source, Optional.empty());
        if (!(choice instanceof SnapshotChoice.Chosen chosen)) {
            return failed(id, source, scratchId, null, started, "nothing to restore from: " + choice.reason());
        }
        Optional<String> wontFit = wontFit(source, chosen.snapshot());
        if (wontFit.isPresent()) {
            return failed(id, source, scratchId, chosen.snapshot().id(), started, "refused before anything started: "
                    + wontFit.get());
        }
        ScratchClusters.Scratch scratch;
        try {
            scratch = scratchClusters.create(source, scratchId);
        } catch (Exception e) {
            return failed(id, source, scratchId, chosen.snapshot().id(), started, "the scratch cluster could not be "
                    + "created: " + e.getMessage());
        }
        RecoveryPlan done = null;
        Optional<EtcdAdmin.Keyspace> reached = Optional.empty();
        HashCheck hash = null;
        LeaseCounting replay = new LeaseCounting(scratch.replay());
        List<String> leftovers;
        try {
            List<String> shared = ScratchCluster.sharedWith(scratch.spec(), inventory.clusters());
            if (!shared.isEmpty()) {
                return failed(id, source, scratchId, chosen.snapshot().id(), started, "refused: the scratch cluster "
                        + "would share " + shared + " with a real cluster; nothing was run");
            }
            done = runPlan(source, scratch, replay, choice, id, started);
            reached = keyspace(scratch);
            if (done.state() == PlanState.SUCCEEDED && reached.isPresent()) {
                hash = hashCheck(source, scratch, reached.get().revision(),
                        bumpApplied(source, chosen.snapshot(), reached.get().revision()), replay.leaseDetached);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(id, source, scratchId, chosen.snapshot().id(), started, "interrupted (shutting down)");
        } catch (RuntimeException e) {
            LOG.errorf(e, "rehearsal %s of %s (scratch %s) failed outside its steps", id, source.id(), scratchId);
            return failed(id, source, scratchId, chosen.snapshot().id(), started, e.toString());
        } finally {
            leftovers = scratchClusters.tearDown(scratch);
            if (!leftovers.isEmpty()) {
                LOG.errorf("rehearsal %s of %s: scratch cluster %s NOT cleaned up: %s", id, source.id(), scratchId,
                        leftovers);
            }
        }
        RehearsalVerdict.Judged judged = RehearsalVerdict.judge(done, reached,
                ports.restoreSettings(source).bumpRevision(), leftovers, hash);
        return new Rehearsal(id, source.id(), scratchId, chosen.snapshot().id(), done.targetRevision(),
                reached.map(EtcdAdmin.Keyspace::revision).orElse(null),
                reached.map(EtcdAdmin.Keyspace::keyCount).orElse(null), started, clock.instant(), judged.rtoMillis(),
                RehearsalVerdict.stepTimes(done), judged.verdict(), judged.reason());
    }

    /** Why the scratch cluster would outgrow the room it has here; empty when it fits. */
    private Optional<String> wontFit(ClusterSpec source, SnapshotRef snapshot) {
        ScratchNeed need;
        try {
            need = ScratchNeed.of(snapshot, source.members().size(), changeLogBytes(source, snapshot));
        } catch (IllegalArgumentException unknown) {
            return Optional.of(unknown.getMessage());
        }
        ScratchClusters.Room room;
        try {
            room = scratchClusters.room();
        } catch (IOException e) {
            return Optional.of("the room under the scratch directory could not be read: " + e.getMessage());
        }
        return need.wontFit(settings.scratchBudgetBytes(), room.diskUsableBytes(), room.memoryAvailableBytes());
    }

    /**
     * The stored bytes of the change log after the snapshot, as the plan's newest point will replay it; 0 without a
     * change log, or when it cannot be listed (the plan then restores the snapshot only).
     */
    private long changeLogBytes(ClusterSpec source, SnapshotRef snapshot) {
        if (ports.changeLog() == null) {
            return 0;
        }
        try {
            return ports.changeLog().segments(source.id(), snapshot.revision(), Long.MAX_VALUE).stream()
                    .mapToLong(ReplayPlan.SegmentRef::sizeBytes).sum();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The quorum loss's plan, proposed for the scratch cluster and approved at once: the rehearsal is its approval. */
    private RecoveryPlan runPlan(ClusterSpec source, ScratchClusters.Scratch scratch, ChangeReplay replay,
            SnapshotChoice choice, String id, Instant started) throws InterruptedException {
        ClusterSpec spec = scratch.spec();
        ChangeLogSource changeLog = ports.changeLog() == null ? null
                : new ScratchChangeLog(ports.changeLog(), spec.id(), source.id());
        ScratchPlanPorts scratchPorts = new ScratchPlanPorts(scratch.etcd(), ports.nodes(), ports.catalog(),
                ports.sleeper(), changeLog, replay,
                ScratchPlanPorts.forScratch(ports.restoreSettings(source), scratch.dir().resolve("snapshots")));
        RecoveryPlan proposed = EtcdQuorumRestoreType.proposeNewestPoint(spec, choice, changeLog,
                UUID.randomUUID().toString(), "rehearsal-" + id, started, started, "rehearsal of " + source.id()
                        + "'s quorum restore on scratch cluster " + spec.id());
        Instant now = clock.instant();
        RecoveryPlan approved = proposed.state() == PlanState.RUNNING ? proposed
                : proposed.decided(PlanState.RUNNING, "rehearsal", now, proposed.message(), now);
        RehearsalPlanStore plans = new RehearsalPlanStore(approved);
        EtcdQuorumRestoreType type = new EtcdQuorumRestoreType();
        PlanEngine engine = new PlanEngine(plans, plan -> type.steps(plan, spec, scratchPorts), new PlanListener() { },
                steps, clock, ports.sleeper());
        return engine.run(approved);
    }

    /**
     * The scratch cluster's {@code HashKV} at the revision it reached against the source's at the same revision, the
     * scratch cluster first compacted to the source's compact revision (the restored snapshot carries an older one,
     * and HashKV covers what a compaction kept). Not compared when the source has compacted past it, when the restore
     * may have bumped the revision (the scratch cluster's revisions are not the source's), or when the replay put keys
     * without the lease the source had them under (their entries differ by design).
     */
    private HashCheck hashCheck(ClusterSpec source, ScratchClusters.Scratch scratch, long revision, long bump,
            long leaseDetached) {
        if (bump > 0) {
            return HashCheck.notCompared(revision, "the restore bumps revisions by " + bump + ", so the scratch "
                    + "cluster's entries carry other revisions than the source's");
        }
        if (leaseDetached > 0) {
            return HashCheck.notCompared(revision, leaseDetached + " replayed puts were under a lease at the source "
                    + "and were put without it (the replay does not carry leases over)");
        }
        try {
            Optional<EtcdAdmin.KeyspaceHash> theirs = ports.etcd().hashKv(source, revision);
            if (theirs.isEmpty()) {
                return HashCheck.sourceCompacted(revision);
            }
            long compacted = theirs.get().compactRevision();
            EtcdAdmin.KeyspaceHash ours = scratch.etcd().hashKv(scratch.spec(), revision).orElseThrow(() ->
                    new IllegalStateException("the scratch cluster has compacted past revision " + revision));
            if (compacted > 0 && ours.compactRevision() < compacted) {
                scratch.etcd().compact(scratch.spec(), compacted);
                ours = scratch.etcd().hashKv(scratch.spec(), revision).orElseThrow();
            }
            if (ours.compactRevision() != compacted && compacted > 0) {
                return HashCheck.notCompared(revision, "the scratch cluster is compacted at "
                        + ours.compactRevision() + ", the source at " + compacted);
            }
            return HashCheck.compared(revision, ours.hash(), theirs.get().hash());
        } catch (RuntimeException e) {
            LOG.warnf("rehearsal of %s: HashKV at %d could not be compared: %s", source.id(), revision, e.toString());
            return HashCheck.notCompared(revision, "HashKV could not be read: " + e.getMessage());
        }
    }

    /**
     * The bump the restore applied: the configured one when the scratch cluster is at or past the snapshot's revision
     * plus it (the rule the replay uses), else 0 (etcd before 3.5.8 restores without a bump, whatever is configured).
     */
    private long bumpApplied(ClusterSpec source, SnapshotRef snapshot, long reached) {
        long bump = ports.restoreSettings(source).bumpRevision();
        return bump > 0 && reached >= snapshot.revision() + bump ? bump : 0;
    }

    /** The scratch cluster's replay, counting the puts it made without the source's lease. */
    private static final class LeaseCounting implements ChangeReplay {
        private final ChangeReplay replay;
        private volatile long leaseDetached;

        LeaseCounting(ChangeReplay replay) {
            this.replay = replay;
        }

        @Override
        public Replayed replay(ClusterSpec cluster, long startRevision, List<ReplayPlan.Revision> revisions) {
            Replayed done = replay.replay(cluster, startRevision, revisions);
            leaseDetached += done.leaseDetached();
            return done;
        }

        @Override
        public List<String> differences(ClusterSpec cluster, List<Change> expected) {
            return replay.differences(cluster, expected);
        }
    }

    private static Optional<EtcdAdmin.Keyspace> keyspace(ScratchClusters.Scratch scratch) {
        try {
            return Optional.of(scratch.etcd().keyspace(scratch.spec()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Rehearsal failed(String id, ClusterSpec source, String scratchId, String snapshotId, Instant started,
            String reason) {
        return new Rehearsal(id, source.id(), scratchId, snapshotId, null, null, null, started, clock.instant(), null,
                List.of(), Rehearsal.Verdict.FAILED, reason);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
