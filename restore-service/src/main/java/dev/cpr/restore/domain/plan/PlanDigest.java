package dev.cpr.restore.domain.plan;

import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.snapshot.SnapshotRef;

/**
 * What a person approves, as one value: {@code sha256:<hex>} over the plan's kind, cluster and target (a member, or
 * a bbr artifact's id), every step (name, destructive or not, what it does), the snapshot it restores from (id,
 * revision, sha256) and, for a point-in-time restore, the revision it replays the change log to. Not over its state, message or step progress: those change while it waits without changing
 * what it would do. A plan re-planned with another snapshot or other steps has another digest, so an approval of
 * the old one cannot start it.
 */
public final class PlanDigest {

    public static final String PREFIX = "sha256:";

    private PlanDigest() {
    }

    public static String of(RecoveryPlan plan) {
        StringBuilder text = new StringBuilder("cpr-plan-v1\n")
                .append("plan=").append(plan.plan()).append('\n')
                .append("cluster=").append(plan.clusterId()).append('\n')
                .append("target=").append(plan.targetMember()).append('\n');
        for (PlanStep step : plan.steps()) {
            text.append("step=").append(step.index()).append('|').append(step.name()).append('|')
                    .append(step.destructive() ? "destructive" : "safe").append('|').append(step.description())
                    .append('\n');
        }
        SnapshotRef snapshot = plan.snapshot();
        if (snapshot != null) {
            text.append("snapshot=").append(snapshot.id()).append('|').append(snapshot.revision()).append('|')
                    .append(snapshot.sha256()).append('\n');
        }
        if (plan.targetRevision() != null) {
            text.append("targetRevision=").append(plan.targetRevision()).append('\n');
        }
        return PREFIX + Sha256.hex(text.toString());
    }

    /** The first 12 hex digits, as a person reads and compares it in Slack. */
    public static String shortForm(String digest) {
        if (digest == null) {
            return "?";
        }
        String hex = digest.startsWith(PREFIX) ? digest.substring(PREFIX.length()) : digest;
        return hex.substring(0, Math.min(12, hex.length()));
    }

}
