package dev.cpr.healthmonitor.domain;

/** One entry of etcd's member list (the raft configuration), as a member reported it. */
public record EtcdMember(String id, String name, boolean learner) {
}
