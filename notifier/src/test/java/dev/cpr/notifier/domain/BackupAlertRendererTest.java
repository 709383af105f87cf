package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupAlertRendererTest {

    private static final Instant T0 = Instant.parse("2026-12-03T04:00:00Z");
    private final BackupAlertRenderer renderer = new BackupAlertRenderer();

    @Test
    void onlyAFailedOrCorruptBackupAlertsAnyone() {
        assertThat(BackupStatus.values()).filteredOn(BackupAlertRenderer::alerts)
                .containsExactlyInAnyOrder(BackupStatus.FAILED, BackupStatus.CORRUPT);
    }

    @Test
    void aCorruptBackupSaysWhatTheDrillFoundAndThatItWillNotBeRestored() {
        SlackMessage message = renderer.render(backup(BackupStatus.CORRUPT, "key count 0, expected 1200"));

        assertThat(message.text()).isEqualTo("Backup b-7 of prod-1: backup is corrupt: key count 0, expected 1200");
        assertThat(message.blocks().get(0).path("text").path("text").asText()).isEqualTo(":warning: prod-1: backup is corrupt");
        assertThat(message.blocks().toString()).contains("*The drill found:* key count 0, expected 1200")
                .contains("will not be offered for restore");
    }

    @Test
    void aFailedBackupWithoutAReasonStillNamesTheBackup() {
        SlackMessage message = renderer.render(backup(BackupStatus.FAILED, null));

        assertThat(message.text()).isEqualTo("Backup b-7 of prod-1: backup failed");
        assertThat(message.blocks().toString()).contains("`b-7`").doesNotContain("*Why:*");
    }

    @Test
    void aSuccessfulBackupIsNotRendered() {
        assertThatThrownBy(() -> renderer.render(backup(BackupStatus.VERIFIED, "ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b-7 is verified");
    }

    private static BackupUpdate backup(BackupStatus status, String verification) {
        return new BackupUpdate("b-7", "prod-1", "etcd-v3-snapshot", status, "scheduled", T0, null, "etcd-2", null,
                "none", null, null, null, null, T0, T0.plusSeconds(30), null, verification, 3);
    }
}
