package dev.cpr.contracts.recovery;

/**
 * One way out of a quorum loss, as restore-service ranked it (least destructive first) and shows it to the
 * person approving: what it would use and what it would lose.
 *
 * @param rank           1 = least destructive
 * @param plan           the plan name ({@code etcd-quorum-revive}, {@code etcd-survivor-rebuild}, ...)
 * @param source         what it recovers from: the members it starts, the survivor, or the snapshot id
 * @param chosen         whether this is the option the plan carries out
 * @param viable         whether it can work at all on the surveyed members (else {@code loses} says why not)
 * @param revisionsLost  revisions it would lose against the highest revision any member is known to hold;
 *                       null when unknown
 * @param secondsLost    how old the data it recovers from is, in seconds (0: up to date); null when unknown
 * @param loses          the sentence a person reads
 */
public record RecoveryOption(int rank, String plan, String source, boolean chosen, boolean viable, Long revisionsLost,
        Long secondsLost, String loses) {
}
