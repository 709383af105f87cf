package dev.cpr.backup.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.Housekeeping;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a process that died mid-snapshot leaves behind is cleaned up. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Catalog catalog;
    @Inject
    Housekeeping housekeeping;
    @Inject
    ArtifactStore store;

    @Test
    void anInProgressBackupWhoseProcessDiedBecomesFailedAndItsPartialFileIsDeleted() throws Exception {
        String cluster = "died-" + UUID.randomUUID().toString().substring(0, 8);
        BackupUpdate orphan = catalog.start(cluster, "manual", "none", null, null).orElseThrow();
        LocalArtifactStore local = (LocalArtifactStore) store;
        Path partial = local.root().resolve(cluster).resolve(".orphan.db.part");
        Files.createDirectories(partial.getParent());
        Files.write(partial, new byte[4096]);
        Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        List<BackupUpdate> abandoned = housekeeping.abandon(Instant.now().plusSeconds(1), cluster);
        int swept = local.sweepPartials(Instant.now().minus(Duration.ofHours(1)));

        assertThat(abandoned).extracting(BackupUpdate::backupId).containsExactly(orphan.backupId());
        BackupUpdate now = catalog.find(UUID.fromString(orphan.backupId())).orElseThrow();
        assertThat(now.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(now.verification()).contains("abandoned");
        assertThat(now.location()).isNull();
        assertThat(swept).isGreaterThanOrEqualTo(1);
        assertThat(partial).doesNotExist();
    }

    @Inject
    dev.cpr.backup.app.CopyChecks coordinator;

    @Test
    void anUploadedCopyLeftByACheckThatNeverFinishedIsDeleted() throws Exception {
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin("_checks", "check-orphan-" + UUID.randomUUID() + ".db")) {
            pending.output().write(new byte[512]);
            location = pending.commit();
        }

        int swept = coordinator.sweepChecks();

        assertThat(swept).isGreaterThanOrEqualTo(1);
        assertThat(store.list("_checks")).doesNotContain(location);
    }
}
