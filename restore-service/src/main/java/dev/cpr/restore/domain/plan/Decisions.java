package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What a person's decision does to a plan: the approval state machine. Pure; the caller stores the result.
 * <pre>
 *   AWAITING_APPROVAL --approve--> RUNNING    (records who and when)
 *   AWAITING_APPROVAL --reject---> REJECTED
 *   AWAITING_APPROVAL --no decision within the approval timeout--> EXPIRED
 *   PROPOSED | AWAITING_APPROVAL --cancel--> CANCELLED at once
 *   PROPOSED | AWAITING_APPROVAL --its incident resolved by itself--> CANCELLED (withdrawn)
 *   RUNNING --cancel--> a cancel request: the engine stops before its next step (CANCELLED)
 * </pre>
 * The same decision delivered twice (REST applies it and then reads it back from {@code cpr.approvals})
 * is recognised and changes nothing.
 */
public final class Decisions {

    public sealed interface Outcome permits Applied, AlreadyDone, CancelRequested, Refused {
    }

    /** Store this transition. */
    public record Applied(RecoveryPlan plan) implements Outcome {
    }

    /** The plan already carries this very decision: nothing to do (a redelivery). */
    public record AlreadyDone(String why) implements Outcome {
    }

    /** The plan is RUNNING: ask the engine to stop before its next step. */
    public record CancelRequested(String runningStep, boolean destructive) implements Outcome {
    }

    /** Not possible in the plan's state (a 409 for REST). */
    public record Refused(String why) implements Outcome {
    }

    private Decisions() {
    }

    public static Outcome decide(RecoveryPlan plan, Decision decision, String who, String channel, String reason,
            Instant decided, Instant now) {
        // PostgreSQL keeps microseconds: compare and store at that precision so a redelivery is recognised
        Instant decidedAt = decided.truncatedTo(ChronoUnit.MICROS);
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            if (who.equals(plan.decidedBy()) && decidedAt.equals(plan.decidedAt())) {
                return new AlreadyDone("plan " + plan.id() + " already carries this decision");
            }
            return new Refused("plan " + plan.id() + " is " + plan.state() + ", not AWAITING_APPROVAL"
                    + (plan.decidedBy() != null ? " (decided by " + plan.decidedBy() + " at " + plan.decidedAt() + ")"
                    : ""));
        }
        PlanState to = decision == Decision.APPROVED ? PlanState.RUNNING : PlanState.REJECTED;
        String verb = decision == Decision.APPROVED ? "approved" : "rejected";
        String why = verb + " by " + who + " via " + channel + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + (decision == Decision.REJECTED ? "; nothing was changed" : "");
        return new Applied(plan.decided(to, who, decidedAt, why, now));
    }

    public static Outcome cancel(RecoveryPlan plan, String who, Instant now) {
        return switch (plan.state()) {
            case PROPOSED, AWAITING_APPROVAL -> new Applied(plan.decided(PlanState.CANCELLED, who, now,
                    "cancelled by " + who + " before it ran; nothing was changed", now));
            case RUNNING -> {
                Optional<PlanStep> running = plan.steps().stream()
                        .filter(s -> s.state() == dev.cpr.contracts.recovery.StepState.RUNNING).findFirst();
                yield new CancelRequested(running.map(PlanStep::name).orElse(plan.nextStepName()),
                        running.map(PlanStep::destructive).orElse(false));
            }
            default -> new Refused("plan " + plan.id() + " is " + plan.state() + ": it has finished");
        };
    }

    /**
     * A plan still waiting for a person is withdrawn when the incident it answers resolves by itself: approving it
     * later would act on a cluster that is no longer in that state (a quorum restore over a cluster whose quorum came
     * back would throw away what was written since). A RUNNING or finished plan is not touched.
     */
    public static Optional<RecoveryPlan> withdraw(RecoveryPlan plan, String incidentId, String failure,
            Instant resolvedAt, Instant now) {
        if (!incidentId.equals(plan.incidentId())
                || (plan.state() != PlanState.PROPOSED && plan.state() != PlanState.AWAITING_APPROVAL)) {
            return Optional.empty();
        }
        return Optional.of(plan.decided(PlanState.CANCELLED, WITHDRAWN_BY, now, "withdrawn: incident " + incidentId
                + " (" + failure + ") resolved by itself at " + resolvedAt + " before anyone decided; nothing was "
                + "changed; trigger a plan by hand if it is still needed", now));
    }

    /** Who withdraws a plan whose incident resolved (recorded as its decider). */
    public static final String WITHDRAWN_BY = "cpr (incident resolved)";

    /** EXPIRED when the plan has waited for approval longer than {@code timeout}. */
    public static Optional<RecoveryPlan> expire(RecoveryPlan plan, Duration timeout, Instant now) {
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            return Optional.empty();
        }
        Instant since = plan.updatedAt() != null ? plan.updatedAt() : plan.createdAt();
        if (Duration.between(since, now).compareTo(timeout) < 0) {
            return Optional.empty();
        }
        return Optional.of(plan.withState(PlanState.EXPIRED, "no approval within " + timeout.toMinutes() + " min ("
                + timeout + ") since " + since + ": expired, nothing was changed; trigger it again if still needed",
                now));
    }
}
