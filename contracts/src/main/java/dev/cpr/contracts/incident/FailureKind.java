package dev.cpr.contracts.incident;

/** What health-monitor found wrong with a cluster. The planner chooses a plan from this. */
public enum FailureKind {
    /** One or more members unreachable, unhealthy or without data, while a quorum still answers. */
    MEMBER_UNHEALTHY,
    /** Fewer than a majority of members healthy: the cluster cannot commit writes. */
    QUORUM_LOST
}
