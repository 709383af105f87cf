package dev.cpr.restore.domain.etcd;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code etcd-survivor-rebuild}: quorum is lost and too few members kept their data to revive it, but one survives.
 * Rebuild from the survivor with the highest revision (etcd's recovery guide: its {@code member/snap/db} restored as
 * a new one-member cluster), then add the others one by one with the member-replace steps:
 * <pre>
 *  stop-members        stop every member still running (the survivor too: its db is copied while it is stopped)
 *  copy-survivor-db    copy the survivor's member/snap/db to &lt;data-dir&gt;.cpr-&lt;plan id&gt;.db (nothing changes)
 *  restore-survivor    (destructive) snapshot restore of that copy as a one-member cluster with a NEW token
 *                      (--skip-hash-check: a copied db has no snapshot hash); the old data dir is moved aside
 *  start-survivor      start the survivor alone, --initial-cluster-state new
 *  wait-survivor       it leads, at the surveyed revision or later
 *  &lt;m&gt;/stop-member ... &lt;m&gt;/wait-caught-up   for each other member: etcd-member-replace's steps
 *  verify-cluster      every member listed and healthy, one leader, revision not below the survivor's
 * </pre>
 * Loses at most what the survivor had not received. Every step is idempotent (markers beside the data dir).
 */
public final class EtcdSurvivorRebuildPlan {

    public static final String STOP_MEMBERS = "stop-members";
    public static final String COPY_SURVIVOR_DB = "copy-survivor-db";
    public static final String RESTORE_SURVIVOR = "restore-survivor";
    public static final String START_SURVIVOR = "start-survivor";
    public static final String WAIT_SURVIVOR = "wait-survivor";
    public static final String VERIFY_CLUSTER = "verify-cluster";

    /** etcd's {@code etcdcluster} in {@code /version} until the leader of a new cluster has set the cluster version. */
    static final String NOT_DECIDED = "not_decided";

    /** The member-replace steps each other member goes through (its old data, if any, is stale: wiped). */
    static final Set<String> JOIN_STEPS = Set.of(EtcdMemberReplacePlan.STOP_MEMBER, EtcdMemberReplacePlan.MEMBER_REMOVE,
            EtcdMemberReplacePlan.WIPE_DATA_DIR, EtcdMemberReplacePlan.MEMBER_ADD, EtcdMemberReplacePlan.START_MEMBER,
            EtcdMemberReplacePlan.WAIT_CAUGHT_UP);

    private final ClusterSpec cluster;
    private final String planId;
    private final MemberSpec survivor;
    private final java.util.concurrent.atomic.AtomicLong copyRevision = new java.util.concurrent.atomic.AtomicLong(-1);
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final EtcdMemberReplacePlan.Settings settings;
    private final MemberRestore restoreTools;
    private final Duration restoreTimeout;
    private final Sleeper sleeper;
    private final Function<MemberSpec, EtcdMemberReplacePlan> joining;

    /**
     * @param restore          the quorum restore's settings: which etcdctl/etcdutl restores, and how long it may take
     */
    public EtcdSurvivorRebuildPlan(ClusterSpec cluster, String planId, String survivor,
            EtcdAdmin etcd, NodeControl nodes, EtcdMemberReplacePlan.Settings settings,
            EtcdQuorumRestorePlan.Settings restore, Sleeper sleeper) {
        this.cluster = cluster;
        this.planId = planId;
        this.survivor = cluster.member(survivor).orElseThrow(() -> new IllegalArgumentException("member " + survivor
                + " is not in the inventory of " + cluster.id()));
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.restoreTools = new MemberRestore(cluster, planId, null, etcd, nodes, restore, null);
        this.restoreTimeout = restore.restoreTimeout();
        this.sleeper = sleeper;
        this.joining = member -> new EtcdMemberReplacePlan(cluster, member, planId + "-" + member.name(), etcd, nodes,
                settings, sleeper);
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private EtcdSurvivorRebuildPlan(ClusterSpec cluster, String survivor) {
        this.cluster = cluster;
        this.planId = null;
        this.survivor = cluster.member(survivor).orElseGet(() -> new MemberSpec(survivor, null, null, null, null));
        this.etcd = null;
        this.nodes = null;
        this.settings = EtcdMemberReplacePlan.OUTLINE_ONLY;
        this.restoreTools = null;
        this.restoreTimeout = Duration.ZERO;
        this.sleeper = null;
        this.joining = member -> EtcdMemberReplacePlan.outlineOnly(member.name());
    }

    /** The members joined after the survivor, in inventory order. */
    public static List<String> others(ClusterSpec cluster, String survivor) {
        return cluster.members().stream().map(MemberSpec::name).filter(n -> !n.equals(survivor)).toList();
    }

    /** The steps as stored when the plan is proposed (nothing done yet). */
    public static List<PlanStep> outline(ClusterSpec cluster, String survivor) {
        return Step.outline(new EtcdSurvivorRebuildPlan(cluster, survivor).declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        String name = survivor.name();
        List<Step> steps = new ArrayList<>();
        steps.add(step(STOP_MEMBERS, "stop every member still running, the survivor " + name + " too")
                .timeout(Duration.ofSeconds(20L * cluster.members().size()))
                .check(this::noneRunning).run(this::stopMembers).verify(this::verifyNoneRunning));
        steps.add(step(COPY_SURVIVOR_DB, "copy " + name + "'s member/snap/db to <data-dir>.cpr-<plan id>.db")
                .timeout(restoreTimeout).check(this::copied).run(this::copyDb).verify(this::verifyCopied));
        steps.add(step(RESTORE_SURVIVOR, "restore " + name + " from that copy as a one-member cluster with a new "
                + "cluster token; its old data dir is moved aside to <data-dir>.cpr-<plan id>").destructive()
                .timeout(restoreTimeout).check(this::restored).run(this::restoreSurvivor).verify(this::verifyRestored));
        steps.add(step(START_SURVIVOR, "start " + name + " alone with initial-cluster-state=new")
                .timeout(Duration.ofSeconds(30))
                .check(this::survivorRunning).run(this::startSurvivor).verify(this::verifySurvivorRunning));
        steps.add(step(WAIT_SURVIVOR, name + " leads, at the surveyed revision or later")
                .timeout(settings.verifyTimeout().plusSeconds(5)).run(this::waitSurvivor));
        for (String member : others(cluster, name)) {
            MemberSpec spec = cluster.member(member).orElseThrow();
            steps.addAll(MemberJoinSteps.declared(joining.apply(spec), member, JOIN_STEPS));
        }
        steps.add(step(VERIFY_CLUSTER, "every member listed and healthy, exactly one leader, revision not below "
                + name + "'s").timeout(settings.verifyTimeout().plusSeconds(5)).run(this::verifyCluster));
        return steps;
    }

    /** {@code <survivor's data dir>.cpr-<plan id>.db}: the copy restored from, kept for an operator afterwards. */
    public String dbCopy() {
        return survivor.dataDir() + ".cpr-" + planId + ".db";
    }

    private String db() {
        return survivor.dataDir() + "/member/snap/db";
    }

    private String restoredMarker() {
        return survivor.dataDir() + ".cpr-" + planId + ".restored";
    }

    // stop-members

    private Optional<String> noneRunning() {
        return cluster.members().stream().noneMatch(nodes::isRunning)
                ? Optional.of("no member of " + cluster.id() + " is running") : Optional.empty();
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
        List<String> still = cluster.members().stream().filter(nodes::isRunning).map(MemberSpec::name).toList();
        if (!still.isEmpty()) {
            throw new IllegalStateException("still running: " + still);
        }
    }

    // copy-survivor-db

    private Optional<String> copied() throws IOException {
        return nodes.exists(survivor, dbCopy()) ? Optional.of(dbCopy() + " was copied by this plan") : Optional.empty();
    }

    private String copyDb() throws IOException {
        if (nodes.exists(survivor, restoredMarker())) {
            throw new StepSpec.FatalStepException("the copy " + dbCopy() + " is gone but " + survivor.name()
                    + " was already restored from it");
        }
        if (!nodes.exists(survivor, db())) {
            throw new StepSpec.FatalStepException(survivor.name() + " has no " + db() + " any more: nothing to rebuild "
                    + "from; nothing was changed");
        }
        String part = dbCopy() + ".part";
        NodeControl.CommandOutcome outcome = nodes.exec(survivor, List.of("cp", db(), part), restoreTimeout);
        if (!outcome.ok()) {
            throw new IllegalStateException("cp " + db() + " " + part + " exited " + outcome.exitCode() + ": "
                    + outcome.output());
        }
        nodes.move(survivor, part, dbCopy());
        return "copied " + db() + " to " + dbCopy() + ": revision " + survivorRevision();
    }

    /**
     * The revision the copy holds ({@code snapshot status}): the rebuilt cluster must not come back below it. Asked
     * again after a restart of restore-service (the copy stays until an operator removes it).
     */
    long survivorRevision() throws IOException {
        long known = copyRevision.get();
        if (known >= 0) {
            return known;
        }
        String tool = restoreTools.restoreTool(survivor);
        NodeControl.CommandOutcome outcome = nodes.exec(survivor, List.of(tool, "snapshot", "status", dbCopy(), "-w",
                "json"), restoreTimeout);
        SnapshotStatus status = SnapshotStatus.parse(outcome.ok() ? outcome.output() : null).orElseThrow(() ->
                new IllegalStateException(tool + " snapshot status " + dbCopy() + " exited " + outcome.exitCode() + ": "
                        + outcome.output()));
        copyRevision.set(status.revision());
        return status.revision();
    }

    private void verifyCopied() throws IOException {
        if (!nodes.exists(survivor, dbCopy())) {
            throw new IllegalStateException(dbCopy() + " does not exist after the copy");
        }
    }

    // restore-survivor

    private Optional<String> restored() throws IOException {
        return nodes.exists(survivor, restoredMarker())
                ? Optional.of(survivor.name() + " was restored from " + dbCopy() + " by this plan") : Optional.empty();
    }

    private String restoreSurvivor() throws IOException {
        String tool = restoreTools.restoreTool(survivor);
        String tmp = survivor.dataDir() + ".cpr-" + planId + ".restoring";
        String token = EtcdQuorumRestorePlan.newToken(cluster, planId);
        nodes.delete(survivor, tmp);
        List<String> argv = List.of(tool, "snapshot", "restore", dbCopy(), "--skip-hash-check",
                "--name", survivor.name(),
                "--initial-cluster", alone(),
                "--initial-cluster-token", token,
                "--initial-advertise-peer-urls", survivor.peerUrl(),
                "--data-dir", tmp);
        NodeControl.CommandOutcome outcome = nodes.exec(survivor, argv, restoreTimeout);
        if (!outcome.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + outcome.exitCode() + ": "
                    + outcome.output());
        }
        String aside = restoreTools.aside(survivor);
        String movedAside;
        if (nodes.exists(survivor, survivor.dataDir())) {
            if (!nodes.exists(survivor, aside)) {
                nodes.move(survivor, survivor.dataDir(), aside);
                movedAside = "old data dir moved to " + aside;
            } else {
                nodes.delete(survivor, survivor.dataDir());
                movedAside = "old data dir was already at " + aside;
            }
        } else {
            movedAside = "it had no data dir";
        }
        nodes.move(survivor, tmp, survivor.dataDir());
        nodes.touch(survivor, restoredMarker());
        return survivor.name() + " restored from " + dbCopy() + " as a one-member cluster, token " + token + " ("
                + movedAside + ")";
    }

    private void verifyRestored() throws IOException {
        if (!nodes.exists(survivor, survivor.dataDir()) || !nodes.exists(survivor, restoredMarker())) {
            throw new IllegalStateException(survivor.name() + "'s data dir " + survivor.dataDir() + " was not restored");
        }
    }

    private String alone() {
        return survivor.name() + "=" + survivor.peerUrl();
    }

    // start-survivor

    private Optional<String> survivorRunning() {
        return nodes.isRunning(survivor) ? Optional.of(survivor.name() + " is running") : Optional.empty();
    }

    private String startSurvivor() throws IOException {
        String token = EtcdQuorumRestorePlan.newToken(cluster, planId);
        nodes.start(cluster, survivor, alone(), NodeControl.ClusterState.NEW, token);
        return "started " + survivor.name() + " alone with --initial-cluster " + alone()
                + " --initial-cluster-state new --initial-cluster-token " + token;
    }

    private void verifySurvivorRunning() {
        if (!nodes.isRunning(survivor)) {
            throw new IllegalStateException(survivor.name() + " exited right after start (see its log)");
        }
    }

    // wait-survivor

    private String waitSurvivor() throws Exception {
        long survivorRevision = survivorRevision();
        return new Poll(sleeper).until(() -> survivorLeads(survivorRevision), settings.verifyTimeout(),
                settings.pollInterval()).orElseThrow(last -> new IllegalStateException(survivor.name()
                        + " not leading after " + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    /** Leading below the surveyed revision means the wrong data came back: waiting cannot mend that. */
    private Poll.Look<String> survivorLeads(long survivorRevision) {
        Optional<MemberStatus> status = etcd.status(survivor.clientUrl());
        if (status.isEmpty()) {
            return Poll.notYet(survivor.name() + " does not answer");
        }
        if (!status.get().isLeader()) {
            return Poll.notYet(survivor.name() + " does not lead yet");
        }
        if (status.get().revision() < survivorRevision) {
            throw new StepSpec.FatalStepException(survivor.name() + " came back at revision "
                    + status.get().revision() + ", below the surveyed " + survivorRevision + ": its old data dir is "
                    + "at " + restoreTools.aside(survivor));
        }
        // a member added before the new cluster's version is decided is refused and exits ("incompatible with
        // current running cluster"), so the survivor is ready for the others only once the version is set
        if (etcd.clusterVersion(survivor.clientUrl()).filter(NOT_DECIDED::equals).isPresent()) {
            return Poll.notYet(survivor.name() + " leads, but its cluster version is not decided yet");
        }
        return Poll.done(survivor.name() + " leads at revision " + status.get().revision() + " (surveyed "
                + survivorRevision + ")");
    }

    // verify-cluster

    private String verifyCluster() throws Exception {
        long survivorRevision = survivorRevision();
        return new Poll(sleeper).until(() -> clusterWhole(survivorRevision), settings.verifyTimeout(),
                settings.pollInterval()).orElseThrow(last -> new IllegalStateException("cluster not whole after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    private Poll.Look<String> clusterWhole(long survivorRevision) {
        Optional<String> problem = ClusterHealth.problem(cluster, etcd.members(cluster), etcd);
        if (problem.isPresent()) {
            return Poll.notYet(problem.get());
        }
        EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
        if (keyspace.revision() < survivorRevision) {
            return Poll.notYet("revision " + keyspace.revision() + " below " + survivor.name() + "'s "
                    + survivorRevision);
        }
        return Poll.done(cluster.members().size() + "/" + cluster.members().size() + " members listed and healthy, "
                + "one leader; " + keyspace.keyCount() + " keys at revision " + keyspace.revision() + " ("
                + survivor.name() + " had " + survivorRevision + ")");
    }
}
