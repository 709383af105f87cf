package dev.cpr.healthmonitor.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one poll saw of one cluster.
 *
 * @param members    one observation per inventory member, in inventory order
 * @param memberList etcd's member list as reported by a member that answered; empty when none answered
 * @param alarms     active alarms (e.g. {@code NOSPACE}), as reported by a member that answered
 */
public record ClusterPoll(
        String clusterId,
        Instant polledAt,
        List<MemberObservation> members,
        Optional<List<EtcdMember>> memberList,
        List<String> alarms) {

    public ClusterPoll {
        members = List.copyOf(members);
        alarms = List.copyOf(alarms);
    }

    public long healthyCount() {
        return members.stream().filter(MemberObservation::healthy).count();
    }

    /** The member whose own status says it leads, if one answered. */
    public Optional<String> leader() {
        return members.stream().filter(MemberObservation::leader).map(MemberObservation::name).findFirst();
    }
}
