package dev.cpr.restore.domain.etcd;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.kernel.Poll;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code etcd-quorum-restore} (seeds 000 and 002): quorum is lost; rebuild the cluster from ONE verified
 * snapshot of backup-service's catalog, the way etcd's recovery guide says:
 * <pre>
 *  fetch-snapshot     download the snapshot and check its sha256 against the catalog (before anything stops)
 *  fetch-change-log   with a target revision: the change log's segments from the snapshot to the target listed,
 *                     the chain checked (a gap or overlap refused, naming revisions), each segment downloaded and
 *                     its sha256 checked (before anything stops); without one: SKIPPED
 *  stop-members       stop every member, one by one
 *  restore-members    (destructive) per member: snapshot restore into a new data dir with a NEW cluster token;
 *                     the old data dir is moved aside to {@code <data-dir>.cpr-<planId>}, never deleted
 *  start-members      start every member with --initial-cluster-state=new and the new token
 *  verify-restore     a leader, every member healthy, key count = the snapshot's, revision >= the snapshot's
 *  replay-changes     (destructive) with a target: the change log replayed from the snapshot's revision (plus the
 *                     restore's bump on 3.5.8+), one transaction per original revision; without one: SKIPPED
 *  verify-point       with a target: every replayed key read back as the source held it, the revision exact (the
 *                     target, plus the bump); without one: SKIPPED
 *  restore-v2-keys    when the snapshot has a v2 keyspace export (seed 002: a v3 snapshot does not carry v2 keys):
 *                     its sha256 checked, every key PUT over the v2 API, the v2 key count checked; else SKIPPED
 *  post-restore-hooks configured commands per node (seed 002: restart apiserver, controller-manager,
 *                     scheduler, kubelets); none configured: SKIPPED with that note
 * </pre>
 * Every step is idempotent: a resumed plan finds finished work (markers beside each data dir) and goes on.
 * The v2 keyspace (seed 002) is not in a v3 snapshot: it is restored from backup-service's v2 export when the
 * snapshot has one, and the step says so when it has none.
 * <p>
 * This class keeps the runbook and the steps that only start, stop and look at the members; the download
 * ({@link SnapshotDownload}), the restore on each node ({@link MemberRestore}), the v2 keys ({@link V2KeysRestore})
 * the hooks ({@link PostRestoreHooks}) and the point-in-time steps ({@link ChangeLogReplay}) each have their own class.
 */
public final class EtcdQuorumRestorePlan {

    public static final String FETCH_SNAPSHOT = "fetch-snapshot";
    public static final String FETCH_CHANGE_LOG = "fetch-change-log";
    public static final String STOP_MEMBERS = "stop-members";
    public static final String RESTORE_MEMBERS = "restore-members";
    public static final String START_MEMBERS = "start-members";
    public static final String VERIFY_RESTORE = "verify-restore";
    public static final String REPLAY_CHANGES = "replay-changes";
    /** What a replayed revision may take at the slowest (50 a second; measured 274-502 a second on 2 cores). */
    static final Duration REPLAY_TIME_PER_REVISION = Duration.ofMillis(20);
    public static final String VERIFY_POINT = "verify-point";
    public static final String RESTORE_V2_KEYS = "restore-v2-keys";
    public static final String POST_RESTORE_HOOKS = "post-restore-hooks";


    /** A post-restore command run on one member's node ({@code member = "*"}: on every member's node). */
    public record Hook(String member, String command) {
    }

    /**
     * Knobs of the plan.
     *
     * @param snapshotDir    downloads go to {@code <snapshotDir>/<cluster>/<planId>-<snapshotId>.db}
     * @param fetchTimeout   download and hash check
     * @param restoreTimeout all members' {@code snapshot restore}
     * @param etcdctl        etcdctl binary (name on PATH or path); tried next to the member's etcd first
     * @param etcdutl        etcdutl binary (3.5+); which of the two restores is the members' etcd release's
     *                       choice ({@link EtcdTools})
     * @param bumpRevision   on 3.5.8+, {@code --bump-revision} of every restored member (with
     *                       {@code --mark-compacted}), so Kubernetes watch caches are invalidated; 0: no bump
     */
    public record Settings(Path snapshotDir, Duration pollInterval, Duration verifyTimeout, Duration fetchTimeout,
            Duration restoreTimeout, Duration hookTimeout, String etcdctl, String etcdutl, List<Hook> hooks,
            long bumpRevision) {

        public Settings {
            hooks = hooks == null ? List.of() : List.copyOf(hooks);
        }

        /** With the recovery guide's bump ({@link EtcdTools#DEFAULT_BUMP_REVISION}). */
        public Settings(Path snapshotDir, Duration pollInterval, Duration verifyTimeout, Duration fetchTimeout,
                Duration restoreTimeout, Duration hookTimeout, String etcdctl, String etcdutl, List<Hook> hooks) {
            this(snapshotDir, pollInterval, verifyTimeout, fetchTimeout, restoreTimeout, hookTimeout, etcdctl, etcdutl,
                    hooks, EtcdTools.DEFAULT_BUMP_REVISION);
        }
    }

    /**
     * A point-in-time restore's target and what reaches it: the change log after the snapshot is replayed up to
     * {@code targetRevision}.
     *
     * @param changeLog backup-service's change log (null: none configured; the steps then fail, named)
     * @param replay    writes the change log into the restored cluster (null in an outline)
     */
    public record PointInTime(long targetRevision, ChangeLogSource changeLog, ChangeReplay replay) {
    }

    /** An outline carries the steps' texts only: these knobs are never read. */
    private static final Settings OUTLINE_ONLY = new Settings(null, Duration.ofSeconds(1), Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, null, null, List.of(), 0);

    private final ClusterSpec cluster;
    private final String planId;
    private final SnapshotRef snapshot;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final Settings settings;
    private final Poll poll;
    private final SnapshotDownload download;
    private final MemberRestore memberRestore;
    private final V2KeysRestore v2Keys;
    private final PostRestoreHooks hooks;
    private final ChangeLogReplay pointInTime;
    private final Long targetRevision;

    /** A restore of the snapshot only (its point-in-time steps are SKIPPED). */
    public EtcdQuorumRestorePlan(ClusterSpec cluster, String planId, SnapshotRef snapshot, SnapshotCatalog catalog,
            EtcdAdmin etcd, NodeControl nodes, Settings settings, Sleeper sleeper) {
        this(cluster, planId, snapshot, null, catalog, etcd, nodes, settings, sleeper);
    }

    /** @param point the target revision and the change log to reach it; null: the snapshot only */
    public EtcdQuorumRestorePlan(ClusterSpec cluster, String planId, SnapshotRef snapshot, PointInTime point,
            SnapshotCatalog catalog, EtcdAdmin etcd, NodeControl nodes, Settings settings, Sleeper sleeper) {
        this.cluster = cluster;
        this.planId = planId;
        this.snapshot = snapshot;
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.poll = new Poll(sleeper);
        this.download = new SnapshotDownload(cluster, planId, snapshot, catalog, settings);
        this.memberRestore = new MemberRestore(cluster, planId, snapshot, etcd, nodes, settings, download);
        this.v2Keys = new V2KeysRestore(cluster, planId, snapshot, catalog, etcd, download);
        this.hooks = new PostRestoreHooks(cluster, nodes, settings);
        this.pointInTime = new ChangeLogReplay(cluster, planId, snapshot, point, etcd, settings, download);
        this.targetRevision = point == null ? null : point.targetRevision();
    }

    /** The steps as stored when the plan is proposed (nothing done yet). */
    public static List<PlanStep> outline(ClusterSpec cluster, SnapshotRef snapshot) {
        return outline(cluster, snapshot, null);
    }

    /** The steps of a restore to {@code targetRevision} (null: the snapshot only) as stored when proposed. */
    public static List<PlanStep> outline(ClusterSpec cluster, SnapshotRef snapshot, Long targetRevision) {
        PointInTime point = targetRevision == null ? null : new PointInTime(targetRevision, null, null);
        return Step.outline(new EtcdQuorumRestorePlan(cluster, null, snapshot, point, null, null, null, OUTLINE_ONLY,
                null).declared());
    }

    /** {@code <cluster id>-<first 8 characters of the plan id>}: new for every restore. */
    public static String newToken(ClusterSpec cluster, String planId) {
        return cluster.id() + "-" + planId.substring(0, Math.min(8, planId.length()));
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        String members = cluster.members().stream().map(MemberSpec::name).collect(Collectors.joining(", "));
        String snap = snapshot == null ? "the snapshot" : "snapshot " + snapshot.id();
        return List.of(
                step(FETCH_SNAPSHOT, "download " + snap + " from backup-service and check its sha256 against the "
                        + "catalog").timeout(settings.fetchTimeout())
                        .check(download::fetched).run(download::fetch).verify(download::verify),
                step(FETCH_CHANGE_LOG, "download the change log from " + snap + " to " + target() + " from "
                        + "backup-service, check the chain has no gap or overlap and each segment's sha256")
                        .timeout(settings.fetchTimeout())
                        .check(pointInTime::fetched).run(pointInTime::fetch).verify(pointInTime::verifyFetched),
                step(STOP_MEMBERS, "stop every member, one by one: " + members)
                        .timeout(Duration.ofSeconds(20L * cluster.members().size()))
                        .check(this::noneRunning).run(this::stopMembers).verify(this::verifyNoneRunning),
                step(RESTORE_MEMBERS, "restore " + members + " from " + snap + " with a new cluster token; old data "
                        + "dirs are moved aside to <data-dir>.cpr-<plan id>").destructive()
                        .timeout(settings.restoreTimeout())
                        .check(memberRestore::allRestored).run(memberRestore::restoreAll).verify(memberRestore::verify),
                step(START_MEMBERS, "start every member as a new cluster with the new token")
                        .timeout(Duration.ofSeconds(30))
                        .check(this::allRunning).run(this::startMembers).verify(this::verifyAllRunning),
                step(VERIFY_RESTORE, "a leader, every member healthy, key count and revision as in the snapshot")
                        .timeout(settings.verifyTimeout().plusSeconds(5)).run(this::verifyRestore),
                step(REPLAY_CHANGES, "replay the change log into the restored cluster up to " + target()
                        + ", one transaction per original revision").destructive(targetRevision != null)
                        .timeout(perRevisionReplayed(settings.restoreTimeout()))
                        .check(pointInTime::replayed).run(pointInTime::replay),
                step(VERIFY_POINT, "read every replayed key back and check the cluster is at " + target())
                        .timeout(perRevisionReplayed(settings.verifyTimeout().plusSeconds(5)))
                        .check(pointInTime::noPoint).run(pointInTime::verifyPoint),
                step(RESTORE_V2_KEYS, "put the snapshot's v2 keyspace export back over the v2 API, if it has one")
                        .timeout(settings.fetchTimeout())
                        .check(v2Keys::notNeeded).run(v2Keys::restore).verify(v2Keys::verify),
                step(POST_RESTORE_HOOKS, "run the configured post-restore commands on the nodes")
                        .timeout(settings.hookTimeout().multipliedBy(Math.max(1, hooks.runCount())).plusSeconds(5))
                        .retry(new RetryPolicy(1, RetryPolicy.DEFAULT.backoff()))
                        .check(hooks::noneConfigured).run(hooks::run));
    }

    /**
     * A replay and its read-back take time in proportion to the revisions replayed (one waited-for transaction each;
     * 77,334 revisions took longer than the fixed 120 s that timed the step out before, restore-service/BENCHMARKS.md):
     * their timeouts grow by {@link #REPLAY_TIME_PER_REVISION} a revision, so that a replay that is long is let finish
     * and only one that is stuck times out.
     */
    private Duration perRevisionReplayed(Duration base) {
        long revisions = targetRevision == null || snapshot == null ? 0 : Math.max(0, targetRevision - snapshot.revision());
        return base.plus(REPLAY_TIME_PER_REVISION.multipliedBy(revisions));
    }

    /** How a step's text names the target. */
    private String target() {
        return targetRevision == null ? "the target revision (none: SKIPPED)" : "revision " + targetRevision;
    }

    /** The plan's snapshot; a plan that records none cannot fetch, restore or verify. */
    static SnapshotRef required(SnapshotRef snapshot) {
        if (snapshot == null) {
            throw new StepSpec.FatalStepException("the plan records no snapshot to restore from");
        }
        return snapshot;
    }

    // fetch-snapshot: see SnapshotDownload

    /** The checked, uncompressed snapshot file: only ever created by a rename after the hash check. */
    public Path snapshotFile() {
        return download.file();
    }

    // stop-members

    private List<MemberSpec> running() {
        return cluster.members().stream().filter(nodes::isRunning).toList();
    }

    private Optional<String> noneRunning() {
        return running().isEmpty() ? Optional.of("no member of " + cluster.id() + " is running") : Optional.empty();
    }

    private String stopMembers() throws IOException {
        List<String> stopped = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            if (nodes.isRunning(member)) {
                nodes.stop(member);
                stopped.add(member.name());
            }
        }
        return "stopped " + (stopped.isEmpty() ? "nothing (none was running)" : String.join(", ", stopped));
    }

    private void verifyNoneRunning() {
        List<MemberSpec> still = running();
        if (!still.isEmpty()) {
            throw new IllegalStateException("still running: " + still.stream().map(MemberSpec::name).toList());
        }
    }

    // restore-members: see MemberRestore

    // start-members

    private Optional<String> allRunning() {
        return running().size() == cluster.members().size()
                ? Optional.of("every member of " + cluster.id() + " is running")
                : Optional.empty();
    }

    private String startMembers() throws IOException {
        String token = newToken(cluster, planId);
        List<String> started = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            if (!nodes.isRunning(member)) {
                nodes.start(cluster, member, cluster.initialClusterFlag(), NodeControl.ClusterState.NEW, token);
                started.add(member.name());
            }
        }
        return "started " + String.join(", ", started) + " with --initial-cluster-state new --initial-cluster-token "
                + token;
    }

    private void verifyAllRunning() {
        List<String> down = cluster.members().stream().filter(m -> !nodes.isRunning(m)).map(MemberSpec::name).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException(down + " exited right after start (see the member logs)");
        }
    }

    // verify-restore

    private String verifyRestore() throws Exception {
        SnapshotRef ref = required(snapshot);
        return poll.until(() -> restored(ref), settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("cluster not restored after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    private Poll.Look<String> restored(SnapshotRef ref) {
        try {
            Optional<String> problem = restoreProblem(ref);
            if (problem.isPresent()) {
                return Poll.notYet(problem.get());
            }
            EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
            return Poll.done(String.format("%d/%d members healthy, one leader; %d keys at revision %d (snapshot %s: %d "
                    + "keys at revision %d)", cluster.members().size(), cluster.members().size(), keyspace.keyCount(),
                    keyspace.revision(), ref.id(), ref.keyCount(), ref.revision()));
        } catch (RuntimeException e) {
            // a member that does not answer yet is one more reason to look again
            return Poll.notYet(e.getMessage());
        }
    }

    private Optional<String> restoreProblem(SnapshotRef ref) {
        List<MemberStatus> statuses = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            Optional<MemberStatus> status = etcd.status(member.clientUrl());
            if (status.isEmpty() || !status.get().hasLeader()) {
                return Optional.of(member.name() + " is not healthy yet");
            }
            statuses.add(status.get());
        }
        Set<Long> leaders = statuses.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        long selfLeaders = statuses.stream().filter(MemberStatus::isLeader).count();
        if (leaders.size() != 1 || selfLeaders != 1) {
            return Optional.of("members disagree on the leader: " + leaders + ", " + selfLeaders + " claim it");
        }
        EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
        if (keyspace.keyCount() != ref.keyCount()) {
            return Optional.of("the cluster holds " + keyspace.keyCount() + " keys, the snapshot " + ref.keyCount());
        }
        if (keyspace.revision() < ref.revision()) {
            return Optional.of("the cluster is at revision " + keyspace.revision() + ", below the snapshot's "
                    + ref.revision());
        }
        return Optional.empty();
    }
}
