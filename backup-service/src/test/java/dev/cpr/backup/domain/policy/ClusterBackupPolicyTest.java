package dev.cpr.backup.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.domain.retention.RetentionPolicy;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.BackupPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterBackupPolicyTest {

    private static final ClusterBackupPolicy.Defaults CONFIG = new ClusterBackupPolicy.Defaults(
            Optional.of("0 0 * * * ?"), Optional.of(RetentionPolicy.count(7)), Optional.of(Duration.ofHours(6)),
            Compression.NONE, true);

    @Test
    void theInventoryWinsOverTheServiceConfiguration() {
        BackupPolicy inventory = new BackupPolicy("0 */15 * * * ?", new BackupPolicy.Retention("exponential", null), "90s",
                "gzip", true, false);

        ClusterBackupPolicy policy = ClusterBackupPolicy.resolve("prod-a", inventory, CONFIG);

        assertThat(policy.schedule()).contains("0 */15 * * * ?");
        assertThat(policy.retention()).get().asString().contains("exponential");
        assertThat(policy.rpo()).contains(Duration.ofSeconds(90));
        assertThat(policy.compression()).isEqualTo(Compression.GZIP);
        assertThat(policy.v2Data()).isTrue();
        assertThat(policy.incidentSnapshot()).isFalse();
    }

    @Test
    void whatTheInventoryLeavesOutComesFromTheConfiguration() {
        ClusterBackupPolicy none = ClusterBackupPolicy.resolve("prod-b", null, CONFIG);
        ClusterBackupPolicy some = ClusterBackupPolicy.resolve("prod-c", new BackupPolicy(null, null, "1h", null, null, null),
                CONFIG);

        assertThat(none.schedule()).contains("0 0 * * * ?");
        assertThat(none.rpo()).contains(Duration.ofHours(6));
        assertThat(none.retention()).get().asString().contains("count");
        assertThat(none.compression()).isEqualTo(Compression.NONE);
        assertThat(none.v2Data()).isFalse();
        assertThat(none.incidentSnapshot()).isTrue();
        assertThat(some.rpo()).contains(Duration.ofHours(1));
        assertThat(some.schedule()).contains("0 0 * * * ?");
    }

    @Test
    void theServiceSwitchTurnsIncidentSnapshotsOffEvenWhereTheInventoryWantsThem() {
        ClusterBackupPolicy.Defaults off = new ClusterBackupPolicy.Defaults(Optional.empty(), Optional.empty(),
                Optional.empty(), Compression.NONE, false);

        assertThat(ClusterBackupPolicy.resolve("x", new BackupPolicy(null, null, null, null, null, true), off)
                .incidentSnapshot()).isFalse();
    }

    @Test
    void countRetentionKeepsSevenUnlessToldAndNoneKeepsAll() {
        assertThat(ClusterBackupPolicy.retention("x", new BackupPolicy.Retention("count", null))).get().asString()
                .contains("7");
        assertThat(ClusterBackupPolicy.retention("x", new BackupPolicy.Retention("none", null))).isEmpty();
        assertThatThrownBy(() -> ClusterBackupPolicy.retention("x", new BackupPolicy.Retention("forever", null)))
                .hasMessageContaining("forever");
    }
}
