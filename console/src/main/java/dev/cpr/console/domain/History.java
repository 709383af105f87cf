package dev.cpr.console.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The history page: every recovery that ran (detection time, recovery time, RPO) and every backup's size and the
 * time it took to become a verified backup, oldest first, as bar charts. Built from what restore-service,
 * health-monitor and backup-service keep; an empty history is not an error.
 *
 * @param recoveries the plans that ran to an end (succeeded or failed), oldest first
 * @param notes      what could not be read (a service down), so a gap in the charts is explained
 */
public record History(List<PastRecovery> recoveries, List<BarChart> recoveryCharts, List<BarChart> backupCharts,
        List<String> notes) {

    /** The charts keep the newest bars readable: older ones stay in the table. */
    static final int MAX_BARS = 30;
    private static final double MIB = 1024.0 * 1024;

    public static History of(List<Plan> plans, List<Incident> incidents, List<Backup> backups, List<String> notes) {
        Map<String, Incident> byId = incidents.stream().filter(i -> i.id() != null)
                .collect(Collectors.toMap(Incident::id, Function.identity(), (a, b) -> a));
        List<PastRecovery> recoveries = plans.stream()
                .filter(p -> !p.dryRun() && ("SUCCEEDED".equals(p.state()) || "FAILED".equals(p.state())))
                .map(p -> recovery(p, byId.get(p.incidentId())))
                .filter(r -> r.at() != null)
                .sorted(Comparator.comparing(PastRecovery::at))
                .toList();
        List<PastRecovery> charted = newest(recoveries);
        List<BarChart> recoveryCharts = recoveries.isEmpty() ? List.of() : List.of(
                seconds("detection-time", "Detection time (first failed poll to incident)", charted,
                        PastRecovery::detection),
                seconds("recovery-time", "Recovery time (detection to healthy)", charted, PastRecovery::recovery),
                seconds("rpo", "RPO (age of the data restored)", charted, PastRecovery::rpo));
        List<Backup> taken = newest(backups.stream()
                .filter(b -> b.createdAt() != null && b.sizeBytes() != null)
                .sorted(Comparator.comparing(Backup::createdAt)).toList());
        List<Backup> verified = taken.stream().filter(b -> b.verified() && b.verifiedAt() != null).toList();
        List<BarChart> backupCharts = taken.isEmpty() ? List.of() : List.of(
                BarChart.of("backup-size", "Backup size", taken.stream()
                        .map(b -> new BarChart.Datum(label(b.clusterId(), b.backupId()), b.sizeBytes() / MIB))
                        .toList(), v -> Sizes.human(Math.round(v * MIB))),
                BarChart.of("backup-duration", "Backup duration (taken to verified by its restore drill)",
                        verified.stream().map(b -> new BarChart.Datum(label(b.clusterId(), b.backupId()),
                                seconds(Duration.between(b.createdAt(), b.verifiedAt())))).toList(),
                        History::duration));
        return new History(recoveries, recoveryCharts, backupCharts, List.copyOf(notes));
    }

    private static PastRecovery recovery(Plan plan, Incident incident) {
        Duration detection = incident == null || incident.firstSeenAt() == null || incident.detectedAt() == null ? null
                : Duration.between(incident.firstSeenAt(), incident.detectedAt());
        return new PastRecovery(plan.id(), plan.incidentId(), plan.clusterId(), plan.plan(), plan.state(),
                plan.detectedAt() != null ? plan.detectedAt() : plan.createdAt(), detection,
                plan.rtoMillis() == null ? null : Duration.ofMillis(plan.rtoMillis()),
                plan.rpoSeconds() == null ? null : Duration.ofSeconds(plan.rpoSeconds()));
    }

    private static BarChart seconds(String id, String title, List<PastRecovery> recoveries,
            Function<PastRecovery, Duration> measure) {
        return BarChart.of(id, title, recoveries.stream().filter(r -> measure.apply(r) != null)
                .map(r -> new BarChart.Datum(label(r.clusterId(), r.planId()), seconds(measure.apply(r))))
                .toList(), History::duration);
    }

    private static <T> List<T> newest(List<T> oldestFirst) {
        return oldestFirst.subList(Math.max(0, oldestFirst.size() - MAX_BARS), oldestFirst.size());
    }

    private static String label(String cluster, String id) {
        return Objects.toString(cluster, "?") + " " + PlanLoss.shortId(id);
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    private static String duration(double seconds) {
        return Ages.human(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
