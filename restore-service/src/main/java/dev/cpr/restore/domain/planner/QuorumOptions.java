package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Ranks the ways out of a quorum loss, least destructive first (etcd's recovery guide; etcd-operator's "rebuild from
 * a surviving member"):
 * <ol>
 *   <li>{@code etcd-quorum-revive}: the members that are down with their data intact are started again; together
 *       with those still up they make a quorum; nothing is lost;</li>
 *   <li>{@code etcd-survivor-rebuild}: a one-member cluster from the surviving member with the highest revision,
 *       the others added one by one; loses what that survivor had not received;</li>
 *   <li>{@code etcd-quorum-restore}: every member from the newest verified snapshot; loses what was written after
 *       it. Chosen only when no member's data survives.</li>
 * </ol>
 * The first viable option is the one carried out. Each option says what it would lose in revisions (against the
 * highest revision any member is known to hold) and in time (the age of the data it recovers from). Plain code:
 * the survey (I/O) is done before.
 */
public final class QuorumOptions {

    /** What the ranking chose. */
    public sealed interface Choice permits Revive, Rebuild, Restore {
    }

    /** Start {@code start} again; then replace {@code replace} one at a time (their data is gone). */
    public record Revive(List<String> start, List<String> replace) implements Choice {
    }

    /** Rebuild from {@code survivor} (at {@code revision}, null when unknown); {@code others} join one by one. */
    public record Rebuild(String survivor, Long revision, List<String> others) implements Choice {
    }

    /** No member's data survives: restore from the snapshot (when there is one). */
    public record Restore() implements Choice {
    }

    /** @param members the survey the ranking was made from */
    public record Ranking(List<RecoveryOption> options, Choice choice, List<MemberSurvey> members) {
        public RecoveryOption chosen() {
            return options.stream().filter(RecoveryOption::chosen).findFirst().orElseThrow();
        }

        /** The members that are up and answered naming a leader: when they make a quorum, the quorum is back. */
        public List<String> followingALeader() {
            return members.stream().filter(m -> m.processUp() && m.followsLeader()).map(MemberSurvey::member).toList();
        }

        /** The options as lines a person reads, least destructive first. */
        public String describe() {
            StringBuilder out = new StringBuilder("options, least destructive first:");
            for (RecoveryOption o : options) {
                out.append(' ').append(o.rank()).append(". ").append(o.plan())
                        .append(o.chosen() ? " (chosen)" : o.viable() ? "" : " (not possible)")
                        .append(": ").append(o.loses()).append(';');
            }
            return out.substring(0, out.length() - 1);
        }
    }

    private QuorumOptions() {
    }

    /**
     * @param quorum   how many members make a quorum
     * @param members  the survey, one entry per inventory member
     * @param snapshot the newest verified snapshot, if there is one
     * @param noSnapshotReason why there is none (shown when {@code snapshot} is empty)
     */
    public static Ranking rank(int quorum, List<MemberSurvey> members, Optional<SnapshotRef> snapshot,
            String noSnapshotReason, Instant now) {
        Long highest = members.stream().filter(m -> m.processUp() || m.dataIntact()).map(MemberSurvey::revision)
                .filter(r -> r != null).max(Long::compare).orElse(null);
        List<RecoveryOption> options = new ArrayList<>();
        Choice choice = null;

        List<String> up = members.stream().filter(MemberSurvey::processUp).map(MemberSurvey::member).toList();
        List<String> revivable = members.stream().filter(MemberSurvey::revivable).map(MemberSurvey::member).toList();
        List<String> lost = members.stream().filter(m -> !m.processUp() && !m.dataIntact()).map(MemberSurvey::member)
                .toList();
        boolean reviveViable = !revivable.isEmpty() && up.size() + revivable.size() >= quorum;
        String reviveText;
        if (reviveViable) {
            reviveText = "loses nothing (0 revisions, 0 s): start " + String.join(", ", revivable)
                    + " again on their intact data" + (lost.isEmpty() ? "" : "; then replace " + String.join(", ", lost)
                    + " one at a time (their data is gone)");
            choice = new Revive(revivable, lost);
        } else {
            reviveText = revivable.isEmpty() ? "no down member has its data directory intact"
                    : "only " + (up.size() + revivable.size()) + " members would be up with their data ("
                    + String.join(", ", revivable) + " revivable), quorum needs " + quorum;
        }
        options.add(new RecoveryOption(1, PlanNames.ETCD_QUORUM_REVIVE, String.join(",", revivable), reviveViable
                && choice instanceof Revive, reviveViable, reviveViable ? 0L : null, reviveViable ? 0L : null,
                reviveText));

        Optional<MemberSurvey> survivor = members.stream().filter(MemberSurvey::dataIntact)
                .max(Comparator.comparing((MemberSurvey m) -> m.revision() == null ? -1L : m.revision())
                        .thenComparing(m -> m.raftIndex() == null ? -1L : m.raftIndex()));
        String rebuildText;
        Long rebuildRevisionsLost = null;
        Long rebuildSecondsLost = null;
        if (survivor.isPresent()) {
            MemberSurvey s = survivor.get();
            List<String> others = members.stream().map(MemberSurvey::member).filter(n -> !n.equals(s.member())).toList();
            if (s.revision() != null && highest != null) {
                rebuildRevisionsLost = highest - s.revision();
                rebuildSecondsLost = rebuildRevisionsLost == 0 ? 0L : null;
            }
            rebuildText = "loses " + (rebuildRevisionsLost == null ? "an unknown number of" : rebuildRevisionsLost)
                    + " revisions of those the members are known to hold, " + (rebuildSecondsLost == null ? "age unknown"
                    : rebuildSecondsLost + " s") + " (at most what " + s.member() + " had not received): a one-member "
                    + "cluster from " + s.member() + (s.revision() == null ? "" : " at revision " + s.revision())
                    + ", then " + String.join(", ", others) + " added one by one";
            if (choice == null) {
                choice = new Rebuild(s.member(), s.revision(), others);
            }
        } else {
            rebuildText = "no member has its data directory intact";
        }
        options.add(new RecoveryOption(2, PlanNames.ETCD_SURVIVOR_REBUILD, survivor.map(MemberSurvey::member)
                .orElse(null), choice instanceof Rebuild, survivor.isPresent(), rebuildRevisionsLost, rebuildSecondsLost,
                rebuildText));

        String restoreText;
        Long restoreRevisionsLost = null;
        Long restoreSecondsLost = null;
        if (snapshot.isPresent()) {
            SnapshotRef ref = snapshot.get();
            restoreSecondsLost = ref.createdAt() == null ? null
                    : Math.max(0, Duration.between(ref.createdAt(), now).toSeconds());
            restoreRevisionsLost = highest == null ? null : Math.max(0, highest - ref.revision());
            restoreText = "loses " + (restoreRevisionsLost == null ? "every write after revision " + ref.revision()
                    + " (no member's revision is known)" : restoreRevisionsLost + " revisions")
                    + ", " + (restoreSecondsLost == null ? "age unknown" : restoreSecondsLost + " s") + " of writes: "
                    + "every member restored from " + ref.id() + " (revision " + ref.revision() + ", " + ref.keyCount()
                    + " keys)" + (survivor.isPresent() ? "; not proposed while a member's data survives" : "");
        } else {
            restoreText = noSnapshotReason == null ? "no verified snapshot" : noSnapshotReason;
        }
        if (choice == null) {
            choice = new Restore();
        }
        options.add(new RecoveryOption(3, PlanNames.ETCD_QUORUM_RESTORE, snapshot.map(SnapshotRef::id).orElse(null),
                choice instanceof Restore, snapshot.isPresent(), restoreRevisionsLost, restoreSecondsLost,
                restoreText));
        return new Ranking(List.copyOf(options), choice, List.copyOf(members));
    }
}
