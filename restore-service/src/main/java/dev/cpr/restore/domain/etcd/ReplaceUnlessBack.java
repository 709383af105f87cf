package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.StepSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gate in front of a member replace that follows a less destructive attempt (a VM recreate, a start on the
 * member's own data): if etcd on the member is back by the first replace step, every replace step is skipped;
 * otherwise they all run.
 * <p>
 * The decision is taken once, at the first gated step, and read back from the stored steps after a restart: a
 * replace once begun goes on even if the member answers half-way, and one found not needed is never begun.
 */
public final class ReplaceUnlessBack {

    private final String member;
    private final String whyNotNeeded;
    private final int firstGatedIndex;
    private final Supplier<Optional<String>> back;
    /** null: not decided yet; true: replace the member; false: it was back. */
    private volatile Boolean replaceNeeded;
    /** What the look saw when it found the member back (for the skipped steps' output). */
    private volatile String backReason;

    /**
     * @param member          the member's inventory name
     * @param whyNotNeeded    how a skipped step says the member is back, after "etcd on &lt;member&gt;" (also how the
     *                        decision is recognised in the stored steps, so keep it stable)
     * @param firstGatedIndex the index of the first replace step in the plan
     * @param stored          the plan's stored steps; empty for a new plan
     * @param back            why etcd on the member counts as back, or empty
     */
    public ReplaceUnlessBack(String member, String whyNotNeeded, int firstGatedIndex, List<PlanStep> stored,
            Supplier<Optional<String>> back) {
        this.member = member;
        this.whyNotNeeded = whyNotNeeded;
        this.firstGatedIndex = firstGatedIndex;
        this.back = back;
        this.replaceNeeded = decidedBefore(stored);
    }

    /** A replace step's check behind the gate. */
    public StepSpec.Check gated(StepSpec.Check original) {
        return () -> {
            Boolean decided = replaceNeeded;
            if (decided == null) {
                Optional<String> isBack = back.get();
                decided = isBack.isEmpty();
                backReason = isBack.orElse(null);
                replaceNeeded = decided;
            }
            if (!decided) {
                return StepSpec.notNeeded("etcd on " + member + whyNotNeeded
                        + (backReason == null ? "" : " (" + backReason + ")"));
            }
            return original.alreadyDone();
        };
    }

    /**
     * Why etcd on the member counts as back: a started member of the list under its name and peer URL, answering
     * with a leader; empty otherwise.
     */
    public static Optional<String> listedAndAnswering(ClusterSpec cluster, MemberSpec target, EtcdAdmin etcd) {
        // the member's own status first: it is bounded by the short status timeout, and a member that does not answer
        // ends the look there instead of in a member list call that may be sent to it
        Optional<MemberStatus> status = etcd.status(target.clientUrl());
        if (status.isEmpty() || !status.get().hasLeader()) {
            return Optional.empty();
        }
        boolean listed = etcd.members(cluster).stream().anyMatch(m -> m.started() && m.name().equals(target.name())
                && m.peerUrls().contains(target.peerUrl()));
        if (!listed) {
            return Optional.empty();
        }
        return Optional.of("member id " + Long.toHexString(status.get().memberId()) + ", raft index "
                + status.get().raftIndex());
    }

    /** The decision taken before a restart, from the first gated step that ran; null if none ran. */
    private Boolean decidedBefore(List<PlanStep> stored) {
        if (stored == null) {
            return null;
        }
        for (PlanStep step : stored) {
            if (step.index() < firstGatedIndex || step.state() == StepState.PENDING) {
                continue;
            }
            boolean skippedAsBack = step.state() == StepState.SKIPPED && step.output() != null
                    && step.output().contains(whyNotNeeded);
            return !skippedAsBack;
        }
        return null;
    }
}
