package dev.cpr.restore.domain.etcd;

import static dev.cpr.restore.domain.plan.Step.step;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Poll;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Step;
import dev.cpr.restore.domain.plan.StepSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code etcd-member-revive}: one member failed while quorum holds, and its data directory (WAL and db) is intact.
 * What an operator tries before wiping anything: start it again on its own data, or, while its process runs (it may be
 * restarting, replaying its WAL), give it time. Only a member that does not come back is replaced:
 * <pre>
 *  start-member-again  start the member on its own data directory; skipped while its process runs
 *  wait-member-back    up to the revive wait: listed and answering with a leader; ends early if its process exits
 *  then, unless it is back by now: the steps of {@link EtcdMemberReplacePlan} (safety snapshot, stop, remove, wipe,
 *  add, start, catch up); if it is back they are all skipped ("not needed: etcd on m back on its own data")
 *  verify-cluster      it and a quorum healthy, every member listed, one leader (always; another member down is
 *                      another incident's, named and not waited for)
 * </pre>
 * A member that was only slow to restart keeps its data and its member id; the replace is the fallback, never the
 * first move. The choice "back, or replace" is taken once, at the first replace step, and read back from the stored
 * steps after a restart ({@link ReplaceUnlessBack}).
 */
public final class EtcdMemberRevivePlan {

    public static final String START_MEMBER_AGAIN = "start-member-again";
    public static final String WAIT_MEMBER_BACK = "wait-member-back";

    static final String BACK_ON_ITS_OWN_DATA = " back on its own data";
    private static final int FIRST_REPLACE_STEP = 2;

    private final ClusterSpec cluster;
    private final MemberSpec target;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final EtcdMemberReplacePlan replace;
    private final Duration reviveWait;
    private final Duration pollInterval;
    private final Poll poll;
    private final ReplaceUnlessBack gate;

    /**
     * @param replace    the member replace of the same member and plan id: the fallback
     * @param reviveWait how long the member may take to come back before it is replaced
     * @param stored     the plan's stored steps (the replace decision survives a restart); empty for a new plan
     */
    public EtcdMemberRevivePlan(ClusterSpec cluster, MemberSpec target, EtcdAdmin etcd, NodeControl nodes,
            EtcdMemberReplacePlan replace, Duration reviveWait, Duration pollInterval, Sleeper sleeper,
            List<PlanStep> stored) {
        this.cluster = cluster;
        this.target = target;
        this.etcd = etcd;
        this.nodes = nodes;
        this.replace = replace;
        this.reviveWait = reviveWait;
        this.pollInterval = pollInterval;
        this.poll = new Poll(sleeper);
        this.gate = new ReplaceUnlessBack(target.name(), BACK_ON_ITS_OWN_DATA, FIRST_REPLACE_STEP, stored,
                this::back);
    }

    /** The steps as stored when the plan is made (nothing done yet). */
    public static List<PlanStep> outline(String member) {
        MemberSpec target = new MemberSpec(member, null, null, null, null);
        return Step.outline(new EtcdMemberRevivePlan(null, target, null, null,
                EtcdMemberReplacePlan.outlineOnly(member), Duration.ZERO, Duration.ofSeconds(1), null, List.of())
                .declared());
    }

    public List<StepSpec> steps() {
        return Step.specs(declared());
    }

    private List<Step> declared() {
        String member = target.name();
        List<Step> steps = new ArrayList<>();
        steps.add(step(START_MEMBER_AGAIN, "start " + member + " again on its own data directory (skipped while its "
                + "process runs: it may be restarting)").timeout(Duration.ofSeconds(15))
                .check(this::runningOrGone).run(this::startAgain));
        steps.add(step(WAIT_MEMBER_BACK, "wait for " + member + " to answer with a leader, up to the revive wait; if it "
                + "does not, it is replaced").timeout(reviveWait.plusSeconds(15)).run(this::waitBack));
        for (Step step : replace.declared()) {
            steps.add(step.name().equals(EtcdMemberReplacePlan.VERIFY_CLUSTER) ? step
                    : step.reused(step.name(), step.description() + " (skipped if " + member + " is back)", gate::gated));
        }
        return steps;
    }

    // start-member-again

    /** The member's process this plan started on its own data, if it started one (it is never started twice). */
    private volatile boolean startedHere;
    /** It was started by the wait (found gone), not by {@code start-member-again}: the wait's result says so. */
    private volatile boolean startedWhileWaiting;

    private Optional<String> runningOrGone() {
        if (nodes.isRunning(target)) {
            return StepSpec.notNeeded(target.name() + "'s etcd process is running: it is given time to come back");
        }
        if (!nodes.hasData(target)) {
            return StepSpec.notNeeded(target.dataDir() + " is gone since the survey: " + target.name()
                    + " is replaced");
        }
        return Optional.empty();
    }

    private String startAgain() throws IOException {
        nodes.start(cluster, target, cluster.initialClusterFlag());
        startedHere = true;
        return "started " + target.name() + " on its own data directory " + target.dataDir();
    }

    // wait-member-back

    /**
     * Never fails: not coming back is an answer, and the replace steps act on it. Bounded by the clock as well as by
     * the number of looks: a look at a hung member takes the status timeout, not the poll interval.
     */
    private String waitBack() throws Exception {
        long deadline = System.nanoTime() + reviveWait.toNanos();
        Poll.Outcome<String> waited = poll.until(() -> System.nanoTime() - deadline > 0
                ? Poll.giveUp(stillNotAnswering()) : backOrExited(), reviveWait, pollInterval);
        String restarted = startedWhileWaiting ? target.name() + "'s etcd process exited while it was waited for: "
                + "started again on its own data; " : "";
        return restarted + waited.value().orElseGet(() -> target.name() + " not back after "
                + reviveWait.toSeconds() + " s (" + waited.last() + "): it is replaced");
    }

    /**
     * A process found running and gone since was not necessarily failing: a process killed with SIGKILL closes its
     * sockets (the member streams see it down) before it is gone, and a plan that starts within that moment finds it
     * "running" (CI23: such a member, its data intact, was replaced). So a process this plan did not start is started
     * on its own data once it is gone, as {@code start-member-again} would have; only one this plan started that exits
     * again is replaced.
     */
    private Poll.Look<String> backOrExited() throws IOException {
        Optional<String> back = back();
        if (back.isPresent()) {
            return Poll.done(target.name() + " is back on its own data (" + back.get() + ")");
        }
        if (!nodes.isRunning(target)) {
            if (!startedHere && nodes.hasData(target)) {
                startAgain();
                startedWhileWaiting = true;
                return Poll.notYet(target.name() + " started again on its own data");
            }
            return Poll.done(target.name() + "'s etcd process is not running (it exited, see its log): it is replaced");
        }
        return Poll.notYet(stillNotAnswering());
    }

    private String stillNotAnswering() {
        return target.name() + " runs but does not answer with a leader";
    }

    private Optional<String> back() {
        return ReplaceUnlessBack.listedAndAnswering(cluster, target, etcd);
    }
}
