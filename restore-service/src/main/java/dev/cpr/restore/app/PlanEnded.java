package dev.cpr.restore.app;

/** A CDI event: a plan of this cluster reached a final state here, so the cluster may take a new plan. */
public record PlanEnded(String clusterId, String planId) {
}
