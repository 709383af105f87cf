package dev.cpr.restore.domain.etcd;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Backoff;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code etcd-member-replace} (seed 001): one member lost its data or died while quorum holds. Replace
 * it in place, the way etcd's runtime-reconfiguration guide says, one member at a time:
 * <pre>
 *  safety-snapshot  stream a snapshot from a healthy member (before anything changes)
 *  stop-member      the member's process is not running
 *  member-remove    (destructive) remove it from the member list, by id
 *  wipe-data-dir    (destructive) delete its data directory
 *  member-add       add it back with the same peer URL (retried while etcd says "unhealthy cluster")
 *  start-member     start it with --initial-cluster-state=existing and the current members
 *  wait-caught-up   it is healthy and its raft index and revision are close to the leader's
 *  verify-cluster   it and a quorum are healthy, every member listed, one leader (a member down besides it is
 *                   another incident's: named, not waited for)
 * </pre>
 * Every step is idempotent: its check recognises work already done, so a resumed plan goes on safely.
 */
public final class EtcdMemberReplacePlan {

    public static final String SAFETY_SNAPSHOT = "safety-snapshot";
    public static final String STOP_MEMBER = "stop-member";
    public static final String MEMBER_REMOVE = "member-remove";
    public static final String WIPE_DATA_DIR = "wipe-data-dir";
    public static final String MEMBER_ADD = "member-add";
    public static final String START_MEMBER = "start-member";
    public static final String WAIT_CAUGHT_UP = "wait-caught-up";
    public static final String VERIFY_CLUSTER = "verify-cluster";

    /** etcd may refuse {@code member add} for a few seconds after a member was lost or restarted: be patient. */
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(10);

    static final RetryPolicy MEMBER_ADD_RETRY =
            new RetryPolicy(25, new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1)));

    /**
     * Knobs of the plan.
     *
     * @param snapshotDir  safety snapshots go to {@code <snapshotDir>/<cluster>/<planId>.db}
     * @param pollInterval how often waiting steps look again
     * @param maxLag       how far (raft index and revision) the new member may trail the leader
     * @param catchUpTimeout how long the new member may take to catch up
     * @param verifyTimeout  how long the cluster may take to settle with one leader
     */
    public record Settings(Path snapshotDir, Duration pollInterval, long maxLag, Duration catchUpTimeout,
            Duration verifyTimeout) {
    }

    /** An outline carries the steps' texts only: these timeouts are never read. */
    static final Settings OUTLINE_ONLY = new Settings(null, Duration.ofSeconds(1), 0, Duration.ZERO,
            Duration.ZERO);

    private final ClusterSpec cluster;
    private final MemberSpec target;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final Settings settings;
    private final Poll poll;
    private final SafetySnapshot safetySnapshot;

    /**
     * Where the safety snapshot comes from: backup-service's snapshot of the same incident (it takes one the
     * moment the incident opens), waited for at most {@code maxWait}; a local snapshot when there is no incident,
     * backup-service cannot be asked, or its snapshot failed. A member is never touched without one.
     */
    public record SafetySource(SnapshotCatalog catalog, String incidentId, Duration maxWait) {
    }

    public EtcdMemberReplacePlan(ClusterSpec cluster, MemberSpec target, String planId, EtcdAdmin etcd,
            NodeControl nodes, Settings settings, Sleeper sleeper) {
        this(cluster, target, planId, etcd, nodes, settings, sleeper, null);
    }

    public EtcdMemberReplacePlan(ClusterSpec cluster, MemberSpec target, String planId, EtcdAdmin etcd,
            NodeControl nodes, Settings settings, Sleeper sleeper, SafetySource safetySource) {
        this.cluster = cluster;
        this.target = target;
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.poll = new Poll(sleeper);
        this.safetySnapshot = new SafetySnapshot(cluster, target, planId, etcd, settings,
                safetySource != null && safetySource.catalog() != null && safetySource.incidentId() != null
                        ? safetySource : null, poll);
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private EtcdMemberReplacePlan(String member) {
        this(null, new MemberSpec(member, null, null, null, null), null, null, null, OUTLINE_ONLY, null, null);
    }

    /** A plan that only declares its steps' texts, for the outline of a bigger plan that reuses them. */
    public static EtcdMemberReplacePlan outlineOnly(String member) {
        return new EtcdMemberReplacePlan(member);
    }

    /** The steps as stored when the plan is made (nothing done yet). */
    public static List<PlanStep> outline(String member) {
        return Step.outline(new EtcdMemberReplacePlan(member).declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    /** The steps, declared once: what {@link #outline} stores and {@link #steps} runs, and what bigger plans reuse. */
    public List<Step> declared() {
        String member = target.name();
        return List.of(
                step(SAFETY_SNAPSHOT, "a safety snapshot: backup-service's for this incident, else streamed from a "
                        + "healthy member").timeout(Duration.ofSeconds(60))
                        .check(safetySnapshot::alreadyTaken).run(safetySnapshot::take).verify(safetySnapshot::verify),
                step(STOP_MEMBER, "make sure " + member + "'s etcd process is not running").timeout(Duration.ofSeconds(20))
                        .check(this::notRunning).run(this::stopMember).verify(this::verifyStopped),
                step(MEMBER_REMOVE, "remove " + member + " from the member list").destructive()
                        .timeout(Duration.ofSeconds(20))
                        .check(this::notListed).run(this::removeMember).verify(this::verifyNotListed),
                step(WIPE_DATA_DIR, "delete " + member + "'s data directory").destructive().timeout(Duration.ofSeconds(30))
                        .check(this::noData).run(this::wipeData).verify(this::verifyNoData),
                step(MEMBER_ADD, "add " + member + " back with its peer URL").timeout(Duration.ofSeconds(20))
                        .retry(MEMBER_ADD_RETRY)
                        .check(this::peerListed).run(this::addMember).verify(this::verifyPeerListed),
                step(START_MEMBER, "start " + member + " with initial-cluster-state=existing")
                        .timeout(Duration.ofSeconds(15))
                        .check(this::running).run(this::startMember).verify(this::verifyRunning),
                step(WAIT_CAUGHT_UP, "wait until " + member + " is healthy and caught up with the leader")
                        .timeout(settings.catchUpTimeout().plusSeconds(5)).run(this::waitCaughtUp),
                step(VERIFY_CLUSTER, member + " and a quorum healthy, every member listed, exactly one leader")
                        .timeout(settings.verifyTimeout().plusSeconds(5)).run(this::verifyCluster));
    }

    // safety-snapshot: see SafetySnapshot

    Path snapshotFile() {
        return safetySnapshot.file();
    }

    // stop-member

    private Optional<String> notRunning() {
        return nodes.isRunning(target) ? Optional.empty() : Optional.of(target.name() + " is not running");
    }

    private String stopMember() throws IOException {
        nodes.stop(target);
        return "stopped " + target.name();
    }

    private void verifyStopped() {
        if (nodes.isRunning(target)) {
            throw new IllegalStateException(target.name() + " is still running");
        }
    }

    // member-remove

    private Optional<EtcdMember> listedTarget(List<EtcdMember> members) {
        return members.stream()
                .filter(m -> m.name().equals(target.name()) || m.peerUrls().contains(target.peerUrl()))
                .findFirst();
    }

    private Optional<String> notListed() {
        return listedTarget(etcd.members(cluster)).isEmpty()
                ? Optional.of(target.name() + " is not in the member list")
                : Optional.empty();
    }

    private String removeMember() throws Exception {
        String waited = awaitLiveLeader();
        Optional<EtcdMember> listed = listedTarget(etcd.members(cluster));
        if (listed.isEmpty()) {
            return target.name() + " was already gone from the member list";
        }
        etcd.removeMember(cluster, listed.get().id());
        return "removed " + target.name() + " (member id " + listed.get().hexId() + ")" + waited;
    }

    private void verifyNotListed() {
        if (listedTarget(etcd.members(cluster)).isPresent()) {
            throw new IllegalStateException(target.name() + " is still in the member list");
        }
    }

    /**
     * Membership changes need a leader: right after the lost member was the leader, the others still name it
     * for up to an election timeout, and a request sent then hangs. Wait until the other members agree on a
     * leader among themselves, and enough of them answer for a quorum.
     */
    private String awaitLiveLeader() throws Exception {
        Poll.Outcome<Boolean> waited = poll.until(this::liveLeader, LEADER_TIMEOUT, settings.pollInterval());
        if (!waited.held()) {
            int answering = othersAnswering().size();
            int needed = quorumOfOthers();
            if (answering < needed) {
                // a second member was lost after this plan was made: no member can be removed without a quorum, and
                // retrying would only hold the cluster while the quorum loss waits for its own plan
                throw new StepSpec.FatalStepException("the quorum was lost after this plan was made: " + answering
                        + " of the other members answer, a quorum needs " + needed + "; nothing was removed. This plan "
                        + "stands down so that the cluster's quorum loss gets its own plan");
            }
        }
        waited.orElseThrow(last -> new IllegalStateException("no live leader after " + LEADER_TIMEOUT.toMillis()
                + " ms: " + last));
        return waited.sleeps() == 0 ? "" : " (waited " + waited.sleeps() + " polls for a new leader)";
    }

    private List<MemberStatus> othersAnswering() {
        // the member being replaced is stopped by now: ask the others only
        return cluster.members().stream()
                .filter(m -> !m.name().equals(target.name()))
                .map(m -> etcd.status(m.clientUrl())).flatMap(Optional::stream).toList();
    }

    private Poll.Look<Boolean> liveLeader() {
        List<MemberStatus> answering = othersAnswering();
        Set<Long> leaders = answering.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        boolean leaderAnswers = answering.stream().anyMatch(MemberStatus::isLeader);
        if (leaders.size() == 1 && leaderAnswers && answering.size() >= quorumOfOthers()) {
            return Poll.done(true);
        }
        return Poll.notYet(answering.size() + " members answer, leaders named " + leaders + ", leader answers: "
                + leaderAnswers);
    }

    /**
     * How many of the other members must answer: a quorum of the members etcd lists besides the target, never more
     * than the inventory's quorum. A cluster being rebuilt from one survivor lists fewer members than the inventory,
     * and its first {@code member add} needs only the survivor.
     */
    private int quorumOfOthers() {
        long others = etcd.members(cluster).stream().filter(m -> !m.name().equals(target.name())
                && !m.peerUrls().contains(target.peerUrl())).count();
        return (int) Math.max(1, Math.min(cluster.quorum(), others / 2 + 1));
    }

    // wipe-data-dir

    private Optional<String> noData() {
        return nodes.hasData(target) ? Optional.empty() : Optional.of(target.dataDir() + " does not exist");
    }

    private String wipeData() throws IOException {
        nodes.wipe(target);
        return "deleted " + target.dataDir();
    }

    private void verifyNoData() {
        if (nodes.hasData(target)) {
            throw new IllegalStateException(target.dataDir() + " still exists");
        }
    }

    // member-add

    private Optional<EtcdMember> listedPeer() {
        return etcd.members(cluster).stream().filter(m -> m.peerUrls().contains(target.peerUrl())).findFirst();
    }

    private Optional<String> peerListed() {
        return listedPeer().map(m -> target.peerUrl() + " is already in the member list (id " + m.hexId() + ")");
    }

    private String addMember() throws Exception {
        String waited = awaitLiveLeader();
        EtcdMember added = etcd.addMember(cluster, target.peerUrl());
        return "added " + target.name() + " as member id " + added.hexId() + " with peer URL " + target.peerUrl()
                + waited;
    }

    private void verifyPeerListed() {
        if (listedPeer().isEmpty()) {
            throw new IllegalStateException(target.peerUrl() + " is not in the member list after member add");
        }
    }

    // start-member

    private Optional<String> running() {
        return nodes.isRunning(target) ? Optional.of(target.name() + " is already running") : Optional.empty();
    }

    private String startMember() throws IOException {
        String initialCluster = initialCluster(etcd.members(cluster));
        nodes.start(cluster, target, initialCluster);
        return "started " + target.name() + " with --initial-cluster " + initialCluster;
    }

    /** {@code name=peer,...} of the current members; the not-yet-started target takes its inventory name. */
    String initialCluster(List<EtcdMember> members) {
        List<String> entries = new ArrayList<>();
        boolean targetListed = false;
        for (EtcdMember member : members) {
            for (String peer : member.peerUrls()) {
                String name = member.started() ? member.name() : nameOfPeer(peer);
                if (peer.equals(target.peerUrl())) {
                    name = target.name();
                    targetListed = true;
                }
                entries.add(name + "=" + peer);
            }
        }
        if (!targetListed) {
            entries.add(target.name() + "=" + target.peerUrl());
        }
        return String.join(",", entries);
    }

    private String nameOfPeer(String peer) {
        return cluster.members().stream().filter(m -> m.peerUrl().equals(peer)).map(MemberSpec::name).findFirst()
                .orElseThrow(() -> new IllegalStateException("member with peer URL " + peer
                        + " has not started and is not in the inventory"));
    }

    private void verifyRunning() {
        if (!nodes.isRunning(target)) {
            throw new IllegalStateException(target.name() + " exited right after start (see its log)");
        }
    }

    // wait-caught-up

    private String waitCaughtUp() throws Exception {
        return poll.until(this::caughtUp, settings.catchUpTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("not caught up after "
                        + settings.catchUpTimeout().toMillis() + " ms: " + last));
    }

    private Poll.Look<String> caughtUp() {
        Optional<MemberStatus> mine = etcd.status(target.clientUrl());
        if (mine.isEmpty() || !mine.get().hasLeader()) {
            return Poll.notYet(target.name() + " does not answer with a leader yet");
        }
        Optional<MemberStatus> leader = leaderStatus(mine.get().leaderId());
        if (leader.isEmpty()) {
            return Poll.notYet("the leader does not answer");
        }
        long indexLag = leader.get().raftIndex() - mine.get().raftIndex();
        long revisionLag = leader.get().revision() - mine.get().revision();
        String where = target.name() + " (member id " + Long.toHexString(mine.get().memberId()) + ") at raft index "
                + mine.get().raftIndex() + ", revision " + mine.get().revision() + "; leader at "
                + leader.get().raftIndex() + ", " + leader.get().revision();
        return indexLag <= settings.maxLag() && revisionLag <= settings.maxLag() ? Poll.done(where) : Poll.notYet(where);
    }

    private Optional<MemberStatus> leaderStatus(long leaderId) {
        for (MemberSpec member : cluster.members()) {
            Optional<MemberStatus> status = etcd.status(member.clientUrl());
            if (status.isPresent() && status.get().memberId() == leaderId) {
                return status;
            }
        }
        return Optional.empty();
    }

    // verify-cluster

    private String verifyCluster() throws Exception {
        return poll.until(() -> {
            ClusterHealth.MemberPlanCheck check = ClusterHealth.afterMemberPlan(cluster, target, etcd.members(cluster),
                    etcd);
            return check.problem().<Poll.Look<String>>map(Poll::notYet).orElseGet(() -> Poll.done(check.found()));
        }, settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("cluster not healthy after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }
}
