package dev.cpr.restore.domain.rehearsal;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a rehearsal passed: the plan SUCCEEDED (its own verify steps read the cluster healthy, the snapshot's keys
 * and, with a target, every replayed key back at exactly the target), the scratch cluster then answered at the
 * target revision (plus the restore's bump on 3.5.8+) or, without a target, at or past the snapshot's with the
 * snapshot's key count, its keyspace hash was the source's at that revision where the source still has it
 * ({@link HashCheck}: a differing hash fails, one not compared is named), and nothing of the scratch cluster was left
 * behind.
 */
public final class RehearsalVerdict {

    private RehearsalVerdict() {
    }

    public record Judged(Rehearsal.Verdict verdict, String reason, Long rtoMillis) {
    }

    /**
     * @param reached   the scratch cluster's keyspace read after the plan ended (empty: it did not answer)
     * @param bump      the revision bump the restore may have applied (0: none)
     * @param leftovers what the tear-down could not remove (processes, directories)
     */
    public static Judged judge(RecoveryPlan plan, Optional<EtcdAdmin.Keyspace> reached, long bump,
            List<String> leftovers) {
        return judge(plan, reached, bump, leftovers, null);
    }

    /** @param hash the keyspace hash compared with the source's (null: none was attempted) */
    public static Judged judge(RecoveryPlan plan, Optional<EtcdAdmin.Keyspace> reached, long bump,
            List<String> leftovers, HashCheck hash) {
        if (plan.state() != PlanState.SUCCEEDED) {
            return new Judged(Rehearsal.Verdict.FAILED, "the plan ended " + plan.state() + failedStep(plan) + ": "
                    + plan.message() + tail(leftovers), null);
        }
        if (reached.isEmpty()) {
            return new Judged(Rehearsal.Verdict.FAILED, "the scratch cluster did not answer after the plan succeeded"
                    + tail(leftovers), null);
        }
        EtcdAdmin.Keyspace keyspace = reached.get();
        Optional<String> wrong = wrongPoint(plan, keyspace, bump);
        if (wrong.isPresent()) {
            return new Judged(Rehearsal.Verdict.FAILED, wrong.get() + tail(leftovers), null);
        }
        long rto = Duration.between(plan.steps().get(0).startedAt(), plan.updatedAt()).toMillis();
        if (hash != null && hash.outcome() == HashCheck.Outcome.DIFFERENT) {
            return new Judged(Rehearsal.Verdict.FAILED, "restored in " + rto + " ms to revision " + keyspace.revision()
                    + ", but " + hash.describe() + ": the restored keyspace is not the source's" + tail(leftovers),
                    rto);
        }
        if (!leftovers.isEmpty()) {
            return new Judged(Rehearsal.Verdict.FAILED, "restored in " + rto + " ms" + tail(leftovers), rto);
        }
        String point = plan.targetRevision() == null ? "the snapshot only (no change log after it)"
                : "revision " + plan.targetRevision();
        return new Judged(Rehearsal.Verdict.PASSED, "restored to " + point + " in " + rto + " ms: " + keyspace.keyCount()
                + " keys at revision " + keyspace.revision() + (hash == null ? "" : ", " + hash.describe())
                + ", the scratch cluster removed", rto);
    }

    private static Optional<String> wrongPoint(RecoveryPlan plan, EtcdAdmin.Keyspace keyspace, long bump) {
        Long target = plan.targetRevision();
        if (target != null) {
            boolean exact = keyspace.revision() == target || (bump > 0 && keyspace.revision() == target + bump);
            return exact ? Optional.empty() : Optional.of("the scratch cluster is at revision " + keyspace.revision()
                    + ", not at the target " + target + (bump > 0 ? " (or " + (target + bump) + " with the bump)" : ""));
        }
        if (plan.snapshot() == null) {
            return Optional.of("the plan records no snapshot");
        }
        if (keyspace.keyCount() != plan.snapshot().keyCount() || keyspace.revision() < plan.snapshot().revision()) {
            return Optional.of("the scratch cluster holds " + keyspace.keyCount() + " keys at revision "
                    + keyspace.revision() + ", the snapshot " + plan.snapshot().keyCount() + " at "
                    + plan.snapshot().revision());
        }
        return Optional.empty();
    }

    private static String failedStep(RecoveryPlan plan) {
        return plan.steps().stream().filter(s -> s.state() == StepState.FAILED).findFirst()
                .map(PlanStep::name).map(name -> " at " + name).orElse("");
    }

    private static String tail(List<String> leftovers) {
        return leftovers.isEmpty() ? "" : "; NOT cleaned up: " + String.join(", ", leftovers);
    }

    /** Each step's final state and how long it ran (0 for a step that never started). */
    public static List<Rehearsal.StepTime> stepTimes(RecoveryPlan plan) {
        return plan.steps().stream().map(s -> new Rehearsal.StepTime(s.name(), s.state().name(),
                s.startedAt() == null || s.finishedAt() == null ? 0
                        : Duration.between(s.startedAt(), s.finishedAt()).toMillis())).toList();
    }
}
