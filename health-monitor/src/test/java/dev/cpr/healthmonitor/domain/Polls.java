package dev.cpr.healthmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builds polls of a cluster {@code c1} with members {@code etcd-1..n} for the domain tests. */
final class Polls {

    private Polls() {
    }

    /** A poll of {@code size} members where the named ones are down (connection refused). */
    static ClusterPoll poll(int size, Instant at, String... down) {
        Set<String> downSet = Set.of(down);
        List<MemberObservation> members = new ArrayList<>();
        List<EtcdMember> list = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            String name = "etcd-" + i;
            String url = "http://127.0.0.1:" + (2379 + i * 10);
            members.add(downSet.contains(name)
                    ? MemberObservation.unhealthy(name, url, MemberObservation.REFUSED)
                    : MemberObservation.healthy(name, url));
            list.add(new EtcdMember(String.valueOf(i), name, false));
        }
        return new ClusterPoll("c1", at, members, Optional.of(list), List.of());
    }

    /** A poll where {@code refused} refuse connections and {@code silent} do not answer within a second. */
    static ClusterPoll mixedPoll(int size, Instant at, List<String> refused, List<String> silent) {
        ClusterPoll quiet = silentPoll(size, at, silent.toArray(String[]::new));
        List<MemberObservation> members = quiet.members().stream()
                .map(m -> refused.contains(m.name()) ? MemberObservation.unhealthy(m.name(), m.clientUrl(),
                        MemberObservation.REFUSED) : m)
                .toList();
        return new ClusterPoll("c1", at, members, quiet.memberList(), List.of());
    }

    /** A poll of {@code size} members where the named ones did not answer within a second (and none refused). */
    static ClusterPoll silentPoll(int size, Instant at, String... silent) {
        Set<String> silentSet = Set.of(silent);
        ClusterPoll refused = poll(size, at, silent);
        List<MemberObservation> members = refused.members().stream()
                .map(m -> silentSet.contains(m.name())
                        ? MemberObservation.silent(m.name(), m.clientUrl(), java.time.Duration.ofSeconds(1)) : m)
                .toList();
        return new ClusterPoll("c1", at, members, refused.memberList(), List.of());
    }
}
