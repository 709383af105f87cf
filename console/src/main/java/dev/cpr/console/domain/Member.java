package dev.cpr.console.domain;

/** One etcd member as health-monitor last saw it ({@code healthy} is null before the first poll). */
public record Member(String name, String clientUrl, Boolean healthy, String reason, boolean leader, Long raftIndex,
        Long revision) {
}
