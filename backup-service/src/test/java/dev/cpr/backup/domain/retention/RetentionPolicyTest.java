package dev.cpr.backup.domain.retention;

import static dev.cpr.contracts.backup.BackupStatus.COMPLETED;
import static dev.cpr.contracts.backup.BackupStatus.CORRUPT;
import static dev.cpr.contracts.backup.BackupStatus.IN_PROGRESS;
import static dev.cpr.contracts.backup.BackupStatus.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.backup.BackupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void countKeepsTheNewestVerifiedAndDeletesTheRestOldestFirst() {
        List<RetainedBackup> backups = List.of(b("a", 5, VERIFIED), b("b", 4, VERIFIED), b("c", 3, VERIFIED),
                b("d", 2, VERIFIED), b("e", 1, VERIFIED));

        assertThat(ids(RetentionPolicy.count(2).expired(backups, NOW))).containsExactly("a", "b", "c");
    }

    @Test
    void inProgressAndUndrilledBackupsAreNeverTouched() {
        List<RetainedBackup> backups = List.of(b("old-pending", 50, COMPLETED), b("running", 60, IN_PROGRESS),
                b("v1", 3, VERIFIED), b("v2", 2, VERIFIED));

        assertThat(ids(RetentionPolicy.count(1).expired(backups, NOW))).containsExactly("v1");
    }

    @Test
    void corruptBackupsGoOnceANewerVerifiedOneExists() {
        List<RetainedBackup> backups = List.of(b("bad-old", 10, CORRUPT), b("good", 5, VERIFIED), b("bad-new", 1, CORRUPT));

        assertThat(ids(RetentionPolicy.count(5).expired(backups, NOW))).containsExactly("bad-old");
    }

    @Test
    void theNewestVerifiedBackupSurvivesEvenAnExponentialPolicyThatWouldDropIt() {
        List<RetainedBackup> backups = List.of(b("ancient", 24 * 60, VERIFIED), b("older", 24 * 70, VERIFIED));

        assertThat(ids(RetentionPolicy.exponential().expired(backups, NOW))).containsExactly("older");
    }

    @Test
    void exponentialKeepsAllOfTheLastHourThenOnePerHourDayAndWeek() {
        List<RetainedBackup> backups = new ArrayList<>();
        // every 15 minutes for 40 days
        for (long minutes = 0; minutes < 40L * 24 * 60; minutes += 15) {
            backups.add(new RetainedBackup("m" + minutes, NOW.minus(Duration.ofMinutes(minutes)), VERIFIED));
        }

        List<RetainedBackup> expired = RetentionPolicy.exponential().expired(backups, NOW);
        List<RetainedBackup> kept = new ArrayList<>(backups);
        kept.removeAll(expired);

        long lastHour = kept.stream().filter(b -> age(b).compareTo(Duration.ofHours(1)) < 0).count();
        long hourly = kept.stream().filter(b -> between(b, Duration.ofHours(1), Duration.ofDays(1))).count();
        long daily = kept.stream().filter(b -> between(b, Duration.ofDays(1), Duration.ofDays(7))).count();
        long weekly = kept.stream().filter(b -> between(b, Duration.ofDays(7), Duration.ofDays(28))).count();
        assertThat(lastHour).as("all of the last hour").isEqualTo(4);
        assertThat(hourly).as("one per clock hour for 24 h").isBetween(23L, 24L);
        assertThat(daily).as("one per day for 7 days").isBetween(6L, 7L);
        assertThat(weekly).as("one per week for 4 weeks").isBetween(3L, 4L);
        assertThat(kept).as("nothing older than 4 weeks").allMatch(b -> age(b).compareTo(Duration.ofDays(28)) < 0);
    }

    @Test
    void aCountPolicyMustKeepSomething() {
        assertThatThrownBy(() -> RetentionPolicy.count(0)).hasMessageContaining("at least 1");
    }

    private static RetainedBackup b(String id, long hoursAgo, BackupStatus status) {
        return new RetainedBackup(id, NOW.minus(Duration.ofHours(hoursAgo)), status);
    }

    private static List<String> ids(List<RetainedBackup> backups) {
        return backups.stream().map(RetainedBackup::id).toList();
    }

    private static Duration age(RetainedBackup b) {
        return Duration.between(b.createdAt(), NOW);
    }

    private static boolean between(RetainedBackup b, Duration from, Duration to) {
        return age(b).compareTo(from) >= 0 && age(b).compareTo(to) < 0;
    }
}
