package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A person's request to run a plan, once its cluster is known.
 *
 * @param member     the request's {@code member}: a member, comma-separated members, or blank
 * @param snapshotId the request's {@code snapshotId} (a snapshot or bbr artifact), or blank
 * @param targetRevision the request's {@code targetRevision} (a point-in-time restore's target), or null
 * @param targetTime     the request's {@code targetTime} (the same, as a moment), or null
 */
public record ManualTrigger(ClusterSpec cluster, String planName, String member, String snapshotId, String who,
        String planId, String incidentId, Instant now, Long targetRevision, Instant targetTime) {

    /** A trigger without a target (every plan but a point-in-time restore). */
    public ManualTrigger(ClusterSpec cluster, String planName, String member, String snapshotId, String who,
            String planId, String incidentId, Instant now) {
        this(cluster, planName, member, snapshotId, who, planId, incidentId, now, null, null);
    }

    public boolean memberGiven() {
        return member != null && !member.isBlank();
    }

    /** The members named, comma-separated, blanks dropped. */
    public List<String> namedMembers() {
        return !memberGiven() ? List.of()
                : List.of(member.split(",")).stream().map(String::strip).filter(m -> !m.isEmpty()).toList();
    }

    /** The one member the plan is for: refused (400) when it is missing or not in the cluster. */
    public MemberSpec requiredMember() {
        if (!memberGiven()) {
            throw TriggerRefused.badRequest("Missing member", "'member' is required for " + planName + "; members of "
                    + cluster.id() + ": " + memberNames());
        }
        return cluster.member(member).orElseThrow(() -> TriggerRefused.badRequest("Unknown member", "member '"
                + member + "' is not in cluster " + cluster.id() + "; members: " + memberNames()));
    }

    public Optional<String> chosenSnapshot() {
        return Optional.ofNullable(snapshotId).filter(s -> !s.isBlank());
    }

    public List<String> memberNames() {
        return cluster.members().stream().map(MemberSpec::name).toList();
    }

    /** How a mode reads in a plan's message: {@code auto}, {@code approval}, {@code notify-only}. */
    public static String modeName(RecoveryMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }

    /** The message a plan triggered by hand carries. */
    public String triggeredBy() {
        return "triggered by " + who;
    }
}
