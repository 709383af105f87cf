package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");

    @Test
    void aRestoreShowsItsDetectionRecoveryTimeAndRpoFromTheIncidentAndThePlan() {
        // given: an incident opened 2 s after its first failed poll, and the quorum restore it got: healthy 7.4 s
        // after detection, from a snapshot 90 s old
        Incident incident = new Incident("inc-1", "sandbox", "QUORUM_LOST", "RESOLVED", List.of("etcd-1"), "lost",
                T0, T0.plusSeconds(2), T0.plusSeconds(12));
        Plan restore = plan("plan-1", "inc-1", "etcd-quorum-restore", "SUCCEEDED", T0.plusSeconds(2), 7_400L, 90L);
        // when
        History history = History.of(List.of(restore), List.of(incident), List.of(), List.of());
        // then
        assertThat(history.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.detection()).isEqualTo(Duration.ofSeconds(2));
            assertThat(r.recovery()).isEqualTo(Duration.ofMillis(7_400));
            assertThat(r.rpo()).isEqualTo(Duration.ofSeconds(90));
        });
        assertThat(history.recoveryCharts()).extracting(BarChart::id)
                .containsExactly("detection-time", "recovery-time", "rpo");
        assertThat(history.recoveryCharts().get(1).bars()).extracting(BarChart.Bar::value).containsExactly("7.4s");
    }

    @Test
    void onlyPlansThatRanAreRecoveriesOldestFirst() {
        // given
        List<Plan> plans = List.of(
                plan("newer", null, "etcd-member-replace", "SUCCEEDED", T0.plusSeconds(600), 9_000L, null),
                plan("waiting", null, "etcd-quorum-restore", "AWAITING_APPROVAL", T0.plusSeconds(700), null, null),
                plan("rejected", null, "etcd-quorum-restore", "REJECTED", T0.plusSeconds(50), null, null),
                plan("older", null, "etcd-member-replace", "FAILED", T0, null, null));
        // when
        History history = History.of(plans, List.of(), List.of(), List.of());
        // then
        assertThat(history.recoveries()).extracting(PastRecovery::planId).containsExactly("older", "newer");
        // a measure not recorded leaves its bar out rather than drawing a zero
        assertThat(history.recoveryCharts().get(1).bars()).hasSize(1);
        assertThat(history.recoveryCharts().get(0).empty()).as("no incident, no detection time").isTrue();
    }

    @Test
    void noRecoveriesAndNoBackupsIsAnEmptyHistoryWithoutCharts() {
        History history = History.of(List.of(), List.of(), List.of(), List.of("no plans: restore-service is down"));
        assertThat(history.recoveries()).isEmpty();
        assertThat(history.recoveryCharts()).isEmpty();
        assertThat(history.backupCharts()).isEmpty();
        assertThat(history.notes()).containsExactly("no plans: restore-service is down");
    }

    @Test
    void backupsChartTheirSizeAndTheTimeToAVerifiedBackup() {
        // given: a verified 12 MiB snapshot, proven 3 s after it was started; and one still in progress
        Backup verified = backup("b-1", "verified", 12L * 1024 * 1024, T0, T0.plusSeconds(3));
        Backup running = backup("b-2", "in-progress", 4L * 1024 * 1024, T0.plusSeconds(60), null);
        // when
        History history = History.of(List.of(), List.of(), List.of(running, verified), List.of());
        // then
        assertThat(history.backupCharts()).extracting(BarChart::id).containsExactly("backup-size", "backup-duration");
        assertThat(history.backupCharts().get(0).bars()).extracting(BarChart.Bar::value)
                .containsExactly("12 MiB", "4 MiB");
        assertThat(history.backupCharts().get(1).bars()).extracting(BarChart.Bar::value).containsExactly("3s");
    }

    private static Plan plan(String id, String incident, String kind, String state, Instant detected, Long rtoMillis,
            Long rpoSeconds) {
        return new Plan(id, incident, "sandbox", kind, null, "auto", state, null, detected, detected.plusSeconds(10),
                detected, rtoMillis, rpoSeconds, null, null, null, false, List.of());
    }

    private static Backup backup(String id, String status, long size, Instant created, Instant verifiedAt) {
        return new Backup(id, "sandbox", "etcd-v3-snapshot", status, "manual", "etcd-1", null, "none", size, null, 10L,
                5L, created, verifiedAt == null ? created : verifiedAt, verifiedAt, null);
    }
}
