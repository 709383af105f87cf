package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns one poll into a {@link Classification}.
 *
 * <p>The quorum is a majority of the voting members of etcd's own member list when a member
 * reported it (that is the raft configuration that decides commits, e.g. while a member is being
 * replaced), otherwise of the inventory's members. Only inventory members are counted up: a member is
 * up when {@code /health} says true, or when an alarm is raised and its status still names a leader
 * (etcd answers {@code /health} false on every member while an alarm such as {@code NOSPACE} is raised,
 * although they all answer and commit deletes). A lone surviving member has no leader and is not up.
 * <ul>
 *   <li>every member up: healthy, unless an alarm or the space says otherwise (below)</li>
 *   <li>some members down, {@code up >= quorum}: {@link FailureKind#MEMBER_UNHEALTHY}</li>
 *   <li>{@code up < quorum}: {@link FailureKind#QUORUM_LOST}, whatever the alarms; the alarm and space kinds are
 *       then not judged (a minority cannot tell); {@linkplain Classification#silent() silent} when every member
 *       counted down only failed to answer in time (none refused, none answered unhealthy)</li>
 * </ul>
 * While the quorum holds, and alongside MEMBER_UNHEALTHY:
 * <ul>
 *   <li>{@code NOSPACE}: {@link FailureKind#SPACE_EXHAUSTED}, never a quorum loss</li>
 *   <li>{@code CORRUPT}, or a member whose KV hash differs from the others' ({@link KvHashVerdict}):
 *       {@link FailureKind#DATA_CORRUPT} naming those members</li>
 *   <li>a member's database over {@code warnPercent} % of the quota (and no NOSPACE yet):
 *       {@link FailureKind#SPACE_LOW} naming those members</li>
 * </ul>
 */
public final class FailureClassifier {

    public static final String NOSPACE = "NOSPACE";
    public static final String CORRUPT = "CORRUPT";

    /** Kinds only judged while the quorum holds. */
    public static final Set<FailureKind> ALARM_KINDS =
            Set.of(FailureKind.SPACE_EXHAUSTED, FailureKind.SPACE_LOW, FailureKind.DATA_CORRUPT);

    /** How long before a member certificate's end it is reported, unless configured otherwise. */
    public static final Duration DEFAULT_CERTIFICATE_WARN_WITHIN = Duration.ofDays(30);

    private final int warnPercent;
    private final Duration certificateWarnWithin;

    /** @param warnPercent the share of the quota (1 to 100) past which a database is reported as {@code SPACE_LOW} */
    public FailureClassifier(int warnPercent) {
        this(warnPercent, DEFAULT_CERTIFICATE_WARN_WITHIN);
    }

    /**
     * @param certificateWarnWithin a member certificate ending within this time of the poll is reported as
     *                              {@code CERTIFICATE_EXPIRING}
     */
    public FailureClassifier(int warnPercent, Duration certificateWarnWithin) {
        if (warnPercent < 1 || warnPercent > 100) {
            throw new IllegalArgumentException("space warn percent must be between 1 and 100, was " + warnPercent);
        }
        if (certificateWarnWithin == null || certificateWarnWithin.isNegative()) {
            throw new IllegalArgumentException("certificate warn-within must be zero or more, was "
                    + certificateWarnWithin);
        }
        this.warnPercent = warnPercent;
        this.certificateWarnWithin = certificateWarnWithin;
    }

    public FailureClassifier() {
        this(80);
    }

    public Classification classify(ClusterPoll poll) {
        return classify(poll, Optional.empty());
    }

    public Classification classify(ClusterPoll poll, Optional<KvHashVerdict> hashes) {
        return classify(poll, hashes, Map.of());
    }

    /**
     * @param certificateEnds when each member's TLS certificate ends, as last seen (members not named: unknown, or
     *                        a plain-HTTP cluster); judged whatever the quorum, since a certificate ends regardless
     */
    public Classification classify(ClusterPoll poll, Optional<KvHashVerdict> hashes,
            Map<String, Instant> certificateEnds) {
        int voting = poll.memberList()
                .map(list -> (int) list.stream().filter(m -> !m.learner()).count())
                .filter(count -> count > 0)
                .orElse(poll.members().size());
        int quorum = voting / 2 + 1;
        boolean alarmed = !poll.alarms().isEmpty();
        List<MemberObservation> down = poll.members().stream()
                .filter(m -> !m.healthy() && !(alarmed && m.hasLeader())).toList();
        int up = poll.members().size() - down.size();
        List<String> failed = down.stream().map(MemberObservation::name).toList();

        Map<FailureKind, List<String>> findings = new LinkedHashMap<>();
        Set<FailureKind> unjudged = new LinkedHashSet<>();
        if (up < quorum) {
            findings.put(FailureKind.QUORUM_LOST, failed);
            findings.put(FailureKind.MEMBER_UNHEALTHY, failed);
            unjudged.addAll(ALARM_KINDS);
        } else {
            if (!down.isEmpty()) {
                findings.put(FailureKind.MEMBER_UNHEALTHY, failed);
            }
            boolean noSpace = poll.hasAlarm(NOSPACE);
            if (noSpace) {
                findings.put(FailureKind.SPACE_EXHAUSTED, poll.alarmedMembers(NOSPACE));
            }
            Set<String> corrupt = new LinkedHashSet<>(poll.alarmedMembers(CORRUPT));
            hashes.ifPresent(h -> corrupt.addAll(h.differing()));
            if (!corrupt.isEmpty() || poll.hasAlarm(CORRUPT)) {
                findings.put(FailureKind.DATA_CORRUPT, List.copyOf(corrupt));
            }
            List<String> nearQuota = nearQuota(poll);
            if (!noSpace && !nearQuota.isEmpty()) {
                findings.put(FailureKind.SPACE_LOW, nearQuota);
            }
        }
        List<String> expiring = expiring(poll, certificateEnds);
        if (!expiring.isEmpty()) {
            findings.put(FailureKind.CERTIFICATE_EXPIRING, expiring);
        }
        Optional<FailureKind> worst = WORST_FIRST.stream().filter(findings::containsKey).findFirst();
        String summary = summary(poll, worst, up, voting, quorum, down, hashes)
                + (expiring.isEmpty() ? "" : "; certificate ends within " + certificateWarnWithin.toDays() + " days: "
                        + expiring.stream().map(m -> m + " at " + certificateEnds.get(m))
                                .collect(Collectors.joining(", ")));
        boolean silent = up < quorum && down.stream().allMatch(MemberObservation::silent);
        long refused = down.stream().filter(MemberObservation::refused).count();
        boolean quorumLostByRefusals = up < quorum && poll.members().size() - refused < quorum;
        return new Classification(poll.clusterId(), worst, up, voting, quorum, failed, summary, findings, unjudged,
                silent, quorumLostByRefusals);
    }

    private static final List<FailureKind> WORST_FIRST = List.of(FailureKind.QUORUM_LOST, FailureKind.DATA_CORRUPT,
            FailureKind.SPACE_EXHAUSTED, FailureKind.MEMBER_UNHEALTHY, FailureKind.SPACE_LOW,
            FailureKind.CERTIFICATE_EXPIRING);

    private List<String> expiring(ClusterPoll poll, Map<String, Instant> certificateEnds) {
        Instant limit = poll.polledAt().plus(certificateWarnWithin);
        return poll.members().stream().map(MemberObservation::name)
                .filter(name -> certificateEnds.containsKey(name) && !certificateEnds.get(name).isAfter(limit))
                .toList();
    }

    private List<String> nearQuota(ClusterPoll poll) {
        if (poll.quotaBytes() == null || poll.quotaBytes() <= 0) {
            return List.of();
        }
        List<String> near = new ArrayList<>();
        for (MemberObservation m : poll.members()) {
            if (m.dbSize() != null && m.dbSize() * 100 >= poll.quotaBytes() * warnPercent) {
                near.add(m.name());
            }
        }
        return near;
    }

    private String summary(ClusterPoll poll, Optional<FailureKind> failure, int up, int voting, int quorum,
            List<MemberObservation> down, Optional<KvHashVerdict> hashes) {
        StringBuilder text = new StringBuilder()
                .append(poll.clusterId()).append(": ")
                .append(failure.map(FailureKind::name).orElse("healthy")).append(", ")
                .append(up).append(" of ").append(voting).append(" members healthy (quorum ")
                .append(quorum).append(')');
        if (!down.isEmpty()) {
            text.append("; down: ").append(down.stream()
                    .map(m -> m.name() + " (" + m.reason() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!poll.alarms().isEmpty()) {
            text.append("; alarms: ").append(String.join(", ", poll.alarms()));
        }
        List<MemberObservation> sized = poll.members().stream().filter(m -> m.dbSize() != null).toList();
        if (!sized.isEmpty() && poll.quotaBytes() != null && poll.quotaBytes() > 0
                && (failure.filter(f -> f == FailureKind.SPACE_EXHAUSTED || f == FailureKind.SPACE_LOW).isPresent()
                        || poll.hasAlarm(NOSPACE))) {
            text.append("; db size ").append(sized.stream()
                    .map(m -> m.name() + " " + m.dbSize() * 100 / poll.quotaBytes() + " %")
                    .collect(Collectors.joining(", ")))
                    .append(" of the ").append(poll.quotaBytes()).append(" bytes quota (warning at ")
                    .append(warnPercent).append(" %)");
        }
        hashes.filter(h -> !h.differing().isEmpty()).ifPresent(h -> text.append("; ").append(h.summary()));
        return text.toString();
    }
}
