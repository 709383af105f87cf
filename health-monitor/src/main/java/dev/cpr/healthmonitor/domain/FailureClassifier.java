package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns one poll into a {@link Classification}.
 *
 * <p>The quorum is a majority of the voting members of etcd's own member list when a member
 * reported it (that is the raft configuration that decides commits, e.g. while a member is being
 * replaced), otherwise of the inventory's members. Only inventory members are counted healthy:
 * health is what {@code /health} says, which etcd answers {@code false} on a member without a
 * leader, so a lone surviving member does not count towards the quorum.
 * <ul>
 *   <li>no member down: healthy</li>
 *   <li>some members down, {@code healthy >= quorum}: {@link FailureKind#MEMBER_UNHEALTHY}</li>
 *   <li>{@code healthy < quorum}: {@link FailureKind#QUORUM_LOST}</li>
 * </ul>
 */
public final class FailureClassifier {

    public Classification classify(ClusterPoll poll) {
        int voting = poll.memberList()
                .map(list -> (int) list.stream().filter(m -> !m.learner()).count())
                .filter(count -> count > 0)
                .orElse(poll.members().size());
        int quorum = voting / 2 + 1;
        int healthy = (int) poll.healthyCount();
        List<MemberObservation> down = poll.members().stream().filter(m -> !m.healthy()).toList();
        List<String> failed = down.stream().map(MemberObservation::name).toList();

        Optional<FailureKind> failure;
        if (down.isEmpty()) {
            failure = Optional.empty();
        } else if (healthy < quorum) {
            failure = Optional.of(FailureKind.QUORUM_LOST);
        } else {
            failure = Optional.of(FailureKind.MEMBER_UNHEALTHY);
        }
        return new Classification(poll.clusterId(), failure, healthy, voting, quorum, failed,
                summary(poll.clusterId(), failure, healthy, voting, quorum, down, poll.alarms()));
    }

    private static String summary(String clusterId, Optional<FailureKind> failure, int healthy, int voting,
            int quorum, List<MemberObservation> down, List<String> alarms) {
        StringBuilder text = new StringBuilder()
                .append(clusterId).append(": ")
                .append(failure.map(FailureKind::name).orElse("healthy")).append(", ")
                .append(healthy).append(" of ").append(voting).append(" members healthy (quorum ")
                .append(quorum).append(')');
        if (!down.isEmpty()) {
            text.append("; down: ").append(down.stream()
                    .map(m -> m.name() + " (" + m.reason() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!alarms.isEmpty()) {
            text.append("; alarms: ").append(String.join(", ", alarms));
        }
        return text.toString();
    }
}
