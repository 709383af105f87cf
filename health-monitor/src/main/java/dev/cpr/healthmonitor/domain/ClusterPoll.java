package dev.cpr.healthmonitor.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one poll saw of one cluster.
 *
 * @param members    one observation per inventory member, in inventory order
 * @param memberList etcd's member list as reported by a member that answered; empty when none answered
 * @param alarms     active alarms as {@code "<ALARM> on <member>"} (e.g. {@code NOSPACE on etcd-1}), as reported by
 *                   a member that answered
 * @param quotaBytes the cluster's {@code --quota-backend-bytes} (configured, or read from a member); null when unknown
 */
public record ClusterPoll(
        String clusterId,
        Instant polledAt,
        List<MemberObservation> members,
        Optional<List<EtcdMember>> memberList,
        List<String> alarms,
        Long quotaBytes) {

    public ClusterPoll {
        members = List.copyOf(members);
        alarms = List.copyOf(alarms);
    }

    public ClusterPoll(String clusterId, Instant polledAt, List<MemberObservation> members,
            Optional<List<EtcdMember>> memberList, List<String> alarms) {
        this(clusterId, polledAt, members, memberList, alarms, null);
    }

    public ClusterPoll withQuota(Long bytes) {
        return new ClusterPoll(clusterId, polledAt, members, memberList, alarms, bytes);
    }

    public long healthyCount() {
        return members.stream().filter(MemberObservation::healthy).count();
    }

    /** The member whose own status says it leads, if one answered. */
    public Optional<String> leader() {
        return members.stream().filter(MemberObservation::leader).map(MemberObservation::name).findFirst();
    }

    /** Whether an alarm of this type is raised (on any member, or with the member not known). */
    public boolean hasAlarm(String type) {
        return alarms.stream().anyMatch(a -> a.equals(type) || a.startsWith(type + " on "));
    }

    /** The members an alarm of this type ({@code NOSPACE}, {@code CORRUPT}) is raised on, in the order etcd listed them. */
    public List<String> alarmedMembers(String type) {
        String prefix = type + " on ";
        return alarms.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).toList();
    }
}
