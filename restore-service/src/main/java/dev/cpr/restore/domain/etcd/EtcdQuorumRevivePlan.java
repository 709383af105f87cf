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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code etcd-quorum-revive}: quorum is lost, but enough members are only down, their data directories intact.
 * Starting them again brings quorum back and loses nothing; members whose data is gone are then replaced one at a
 * time, with the member-replace steps:
 * <pre>
 *  start-members      start each down member with intact data again (a member already running is never started again)
 *  wait-quorum        a leader, and at least a quorum of members answering with it
 *  &lt;m&gt;/safety-snapshot ... &lt;m&gt;/wait-caught-up   for each member without data: etcd-member-replace's steps
 *  verify-cluster     every member listed and healthy, one leader
 * </pre>
 */
public final class EtcdQuorumRevivePlan {

    public static final String START_MEMBERS = "start-members";
    public static final String WAIT_QUORUM = "wait-quorum";
    public static final String VERIFY_CLUSTER = "verify-cluster";

    /** The member-replace steps a member without data goes through once quorum is back. */
    static final Set<String> REPLACE_STEPS = Set.of(EtcdMemberReplacePlan.SAFETY_SNAPSHOT,
            EtcdMemberReplacePlan.STOP_MEMBER, EtcdMemberReplacePlan.MEMBER_REMOVE, EtcdMemberReplacePlan.WIPE_DATA_DIR,
            EtcdMemberReplacePlan.MEMBER_ADD, EtcdMemberReplacePlan.START_MEMBER, EtcdMemberReplacePlan.WAIT_CAUGHT_UP);

    private final ClusterSpec cluster;
    private final String planId;
    private final List<MemberSpec> start;
    private final List<MemberSpec> replace;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final EtcdMemberReplacePlan.Settings settings;
    private final Poll poll;
    private final Function<MemberSpec, EtcdMemberReplacePlan> replacing;

    /**
     * @param start   the members to start again (their data intact)
     * @param replace the members to replace afterwards (their data gone), in this order
     */
    public EtcdQuorumRevivePlan(ClusterSpec cluster, String planId, List<String> start, List<String> replace,
            EtcdAdmin etcd, NodeControl nodes, EtcdMemberReplacePlan.Settings settings, Sleeper sleeper) {
        this.cluster = cluster;
        this.planId = planId;
        this.start = start.stream().map(n -> member(cluster, n)).toList();
        this.replace = replace.stream().map(n -> member(cluster, n)).toList();
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = settings;
        this.poll = new Poll(sleeper);
        this.replacing = member -> new EtcdMemberReplacePlan(cluster, member, planId + "-" + member.name(), etcd, nodes,
                settings, sleeper);
    }

    /** Only the texts of the steps, for the outline stored at proposal; none of its steps can run. */
    private EtcdQuorumRevivePlan(ClusterSpec cluster, List<String> start, List<String> replace) {
        this.cluster = cluster;
        this.planId = null;
        this.start = start.stream().map(n -> member(cluster, n)).toList();
        this.replace = replace.stream().map(n -> member(cluster, n)).toList();
        this.etcd = null;
        this.nodes = null;
        this.settings = EtcdMemberReplacePlan.OUTLINE_ONLY;
        this.poll = null;
        this.replacing = member -> EtcdMemberReplacePlan.outlineOnly(member.name());
    }

    private static MemberSpec member(ClusterSpec cluster, String name) {
        return cluster.member(name).orElseThrow(() -> new IllegalArgumentException("member " + name
                + " is not in the inventory of " + cluster.id()));
    }

    /** How a plan's members to start are kept in its single {@code targetMember} column: comma-separated. */
    public static String target(List<String> start) {
        return String.join(",", start);
    }

    public static List<String> startMembers(String target) {
        return target == null || target.isBlank() ? List.of()
                : Arrays.stream(target.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The members a stored revive plan replaces, from its step names. */
    public static List<String> replaceMembers(List<PlanStep> steps) {
        return MemberJoinSteps.members(steps);
    }

    /** The steps as stored when the plan is made (nothing done yet). */
    public static List<PlanStep> outline(ClusterSpec cluster, List<String> start, List<String> replace) {
        return Step.outline(new EtcdQuorumRevivePlan(cluster, start, replace).declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        List<Step> steps = new ArrayList<>();
        steps.add(step(START_MEMBERS, "start " + String.join(", ", names(start)) + " again on their intact data "
                + "directories (initial-cluster-state existing)").timeout(Duration.ofSeconds(15L * Math.max(1, start.size())))
                .check(this::allStarted).run(this::startMembers).verify(this::verifyStarted));
        steps.add(step(WAIT_QUORUM, "a leader and at least " + cluster.quorum() + " of " + cluster.members().size()
                + " members answering with it").timeout(settings.verifyTimeout().plusSeconds(5)).run(this::waitQuorum));
        for (MemberSpec member : replace) {
            steps.addAll(MemberJoinSteps.declared(replacing.apply(member), member.name(), REPLACE_STEPS));
        }
        steps.add(step(VERIFY_CLUSTER, "every member listed and healthy, exactly one leader")
                .timeout(settings.verifyTimeout().plusSeconds(5)).run(this::verifyCluster));
        return steps;
    }

    // start-members

    private Optional<String> allStarted() {
        return start.stream().allMatch(nodes::isRunning)
                ? Optional.of(String.join(", ", names(start)) + " already running")
                : Optional.empty();
    }

    /** Starts only the members not running: a resumed or retried step never starts a member twice. */
    private String startMembers() throws IOException {
        List<String> started = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (MemberSpec member : start) {
            if (!nodes.isRunning(member) && !nodes.hasData(member)) {
                throw new StepSpec.FatalStepException(member.name() + "'s data directory " + member.dataDir()
                        + " is gone since the survey: starting it would join it empty; nothing started");
            }
        }
        for (MemberSpec member : start) {
            if (nodes.isRunning(member)) {
                already.add(member.name());
                continue;
            }
            nodes.start(cluster, member, cluster.initialClusterFlag());
            started.add(member.name());
        }
        return "started " + (started.isEmpty() ? "none" : String.join(", ", started)) + " on their own data"
                + (already.isEmpty() ? "" : " (" + String.join(", ", already) + " already running)");
    }

    private void verifyStarted() {
        List<String> down = start.stream().filter(m -> !nodes.isRunning(m)).map(MemberSpec::name).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException(down + " exited right after start (see the member logs)");
        }
    }

    // wait-quorum

    private String waitQuorum() throws Exception {
        return poll.until(this::quorumAnswers, settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("quorum not back after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    private Poll.Look<String> quorumAnswers() {
        List<MemberStatus> answering = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            etcd.status(member.clientUrl()).filter(MemberStatus::hasLeader).ifPresent(answering::add);
        }
        Set<Long> leaders = answering.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        boolean leaderAnswers = answering.stream().anyMatch(MemberStatus::isLeader);
        if (answering.size() < cluster.quorum() || leaders.size() != 1 || !leaderAnswers) {
            return Poll.notYet(answering.size() + " members answer with a leader, leaders named " + leaders);
        }
        MemberStatus leader = answering.stream().filter(MemberStatus::isLeader).findFirst().orElseThrow();
        return Poll.done(answering.size() + " of " + cluster.members().size() + " members answer with leader "
                + Long.toHexString(leader.memberId()) + " at revision " + leader.revision() + ", raft index "
                + leader.raftIndex());
    }

    // verify-cluster

    private String verifyCluster() throws Exception {
        return poll.until(this::clusterHealthy, settings.verifyTimeout(), settings.pollInterval())
                .orElseThrow(last -> new IllegalStateException("cluster not healthy after "
                        + settings.verifyTimeout().toMillis() + " ms: " + last));
    }

    private Poll.Look<String> clusterHealthy() {
        Optional<String> problem = ClusterHealth.problem(cluster, etcd.members(cluster), etcd);
        if (problem.isPresent()) {
            return Poll.notYet(problem.get());
        }
        EtcdAdmin.Keyspace keyspace = etcd.keyspace(cluster);
        return Poll.done(cluster.members().size() + "/" + cluster.members().size() + " members listed and healthy, "
                + "one leader; " + keyspace.keyCount() + " keys at revision " + keyspace.revision());
    }

    private static List<String> names(List<MemberSpec> members) {
        return members.stream().map(MemberSpec::name).toList();
    }
}
