package dev.cpr.console.domain;

import java.util.List;

/** One cluster on the overview: its health, its backups' freshness, and the plans not finished yet. */
public record ClusterOverview(Cluster cluster, BackupFreshness backups, List<Plan> activePlans) {
}
