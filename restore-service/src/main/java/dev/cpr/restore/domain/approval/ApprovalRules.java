package dev.cpr.restore.domain.approval;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.restore.domain.plan.Decisions;
import dev.cpr.restore.domain.plan.PlanDigest;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules a decision about a waiting plan must pass before it changes anything, in the order they are checked:
 * <ol>
 *   <li>who vouches for it: a bus record must carry a signature a trusted key made over its own bytes, an approval
 *       id and a plan digest, and be fresh ({@link #vouched}); a REST caller must be an operator (checked by the
 *       caller, which knows the identity);</li>
 *   <li>it has not been seen before (the caller's ledger of approval ids);</li>
 *   <li>it names the plan as it is now ({@link #against}): the plan exists, is of that cluster, and has the digest
 *       named (a REST caller may leave it out: the operator approves what the API shows now);</li>
 *   <li>the plan is waiting ({@link Decisions}), and where two approvers are required, this is the second, and a
 *       different person from the first.</li>
 * </ol>
 * A refused decision changes nothing but the audit.
 */
public final class ApprovalRules {

    public sealed interface Verdict permits Apply, AwaitSecond, AlreadyDone, Refuse {
    }

    /** Store this transition. */
    public record Apply(RecoveryPlan plan, String digest) implements Verdict {
    }

    /** The first of two required approvals: recorded, the plan keeps waiting. */
    public record AwaitSecond(String digest) implements Verdict {
    }

    /** The plan already carries this decision (a redelivery). */
    public record AlreadyDone(String why) implements Verdict {
    }

    public record Refuse(Refusal refusal, String why) implements Verdict {
    }

    private ApprovalRules() {
    }

    /** Rule 1 for a bus record: empty when a trusted key vouches for it and it is fresh. */
    public static Optional<Refuse> vouched(ApprovalDecided decided, boolean signatureValid, ApprovalPolicy policy,
            Instant now) {
        if (decided.signature() == null || decided.signature().isBlank()) {
            return Optional.of(new Refuse(Refusal.UNSIGNED, "unsigned: no trusted key vouches for it"));
        }
        if (!signatureValid) {
            return Optional.of(new Refuse(Refusal.BAD_SIGNATURE,
                    "the signature was not made by a trusted key over this approval's bytes"));
        }
        if (decided.approvalId() == null || decided.approvalId().isBlank() || decided.planDigest() == null
                || decided.planDigest().isBlank()) {
            return Optional.of(new Refuse(Refusal.INCOMPLETE, "signed, but names no approval id or no plan digest"));
        }
        if (policy.stale(decided.decidedAt(), now)) {
            return Optional.of(new Refuse(Refusal.STALE, "issued at " + decided.decidedAt() + ", not within the last "
                    + policy.maxAge() + " (nor at most " + policy.maxClockSkew() + " ahead) of " + now));
        }
        return Optional.empty();
    }

    /**
     * Rules 3 and 4.
     *
     * @param digest        the digest the decision names (null: a REST caller who named none)
     * @param firstApprover who gave the first of two required approvals of this plan at this digest, if anyone did
     */
    public static Verdict against(Optional<RecoveryPlan> found, String clusterId, Decision decision, String who,
            String channel, String reason, String digest, Instant decidedAt, Optional<String> firstApprover,
            ApprovalPolicy policy, Instant now) {
        if (found.isEmpty()) {
            return new Refuse(Refusal.UNKNOWN_PLAN, "restore-service knows no such plan");
        }
        RecoveryPlan plan = found.get();
        if (!plan.clusterId().equals(clusterId)) {
            return new Refuse(Refusal.WRONG_CLUSTER, "names cluster " + clusterId + " but the plan is of "
                    + plan.clusterId());
        }
        String current = PlanDigest.of(plan);
        if (digest != null && !digest.equals(current)) {
            return new Refuse(Refusal.DIGEST_MISMATCH, "names plan digest " + digest + " but the plan is now "
                    + current + ": it changed after it was shown; look at it again");
        }
        boolean second = firstApprover.isPresent();
        if (decision == Decision.APPROVED && policy.needsTwoApprovers(plan.clusterId(), plan.plan())) {
            if (second && firstApprover.get().equals(who)) {
                return new Refuse(Refusal.SAME_APPROVER, who + " approved this plan already; it needs a second, "
                        + "different approver");
            }
        }
        String by = decision == Decision.APPROVED && second ? firstApprover.get() + " and " + who : who;
        Decisions.Outcome outcome = Decisions.decide(plan, decision, by, channel, reason, decidedAt, now);
        if (outcome instanceof Decisions.AlreadyDone done) {
            return new AlreadyDone(done.why());
        }
        if (outcome instanceof Decisions.Refused refused) {
            return new Refuse(Refusal.NOT_WAITING, refused.why());
        }
        if (decision == Decision.APPROVED && !second && policy.needsTwoApprovers(plan.clusterId(), plan.plan())) {
            return new AwaitSecond(current);
        }
        return new Apply(((Decisions.Applied) outcome).plan(), current);
    }
}
