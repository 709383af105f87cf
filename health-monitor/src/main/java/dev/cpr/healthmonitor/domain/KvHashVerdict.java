package dev.cpr.healthmonitor.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The members' KV hashes ({@code HashKV}) at one revision, compared. etcd's own corruption check is off by default in
 * 3.4/3.5; this is the same comparison done from outside: the hash a majority of members share is the cluster's, the
 * members with another hash are corrupt. Members whose history was compacted at a different revision hash different
 * things and are not compared ({@code comparable} is false then).
 *
 * @param revision  the revision every member hashed
 * @param hashes    member name to hash, for the members that answered
 * @param differing the members whose hash is not the majority's, in the order given; empty when all agree or no
 *                  majority exists
 */
public record KvHashVerdict(String clusterId, long revision, Map<String, Long> hashes, List<String> differing,
        String summary) {

    public KvHashVerdict {
        hashes = Map.copyOf(hashes);
        differing = List.copyOf(differing);
    }

    /**
     * @param hashes         member to hash, in inventory order
     * @param compactions    member to the compact revision its hash answer reported
     */
    public static KvHashVerdict compare(String clusterId, long revision, Map<String, Long> hashes,
            Map<String, Long> compactions) {
        if (compactions.values().stream().distinct().count() > 1) {
            return new KvHashVerdict(clusterId, revision, hashes, List.of(), clusterId + ": KV hashes at revision "
                    + revision + " not compared: members compacted at different revisions " + compactions);
        }
        Map<Long, Integer> votes = new HashMap<>();
        hashes.values().forEach(h -> votes.merge(h, 1, Integer::sum));
        Long majority = votes.entrySet().stream().filter(e -> e.getValue() * 2 > hashes.size())
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (majority == null) {
            return new KvHashVerdict(clusterId, revision, hashes, List.of(), hashes.size() < 2 ? clusterId
                    + ": fewer than two KV hashes at revision " + revision + ", nothing to compare"
                    : clusterId + ": no majority among the KV hashes at revision " + revision + ": " + hashes);
        }
        List<String> differing = new ArrayList<>();
        hashes.forEach((member, hash) -> {
            if (!hash.equals(majority)) {
                differing.add(member);
            }
        });
        String summary = differing.isEmpty()
                ? clusterId + ": all " + hashes.size() + " KV hashes agree at revision " + revision
                : clusterId + ": KV hash at revision " + revision + " differs on " + String.join(", ", differing)
                        + " (" + differing.stream().map(m -> m + "=" + hashes.get(m)).collect(Collectors.joining(", "))
                        + "; the other " + (hashes.size() - differing.size()) + " members agree on " + majority + ")";
        return new KvHashVerdict(clusterId, revision, hashes, differing, summary);
    }
}
