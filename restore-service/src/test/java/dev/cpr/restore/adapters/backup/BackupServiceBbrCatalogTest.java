package dev.cpr.restore.adapters.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.restore.adapters.bbr.SandboxBbrResource;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrArtifactRef;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.restore.it.BackupServiceStandIn;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Both catalogs over HTTP against backup-service's shapes ({@link BackupServiceStandIn}, which ignores {@code ?kind=},
 * as an older backup-service would): bbr rows and etcd snapshot rows side by side in one catalog, each catalog takes
 * only its own. Same test resources as BbrRestoreSandboxTest, so the app under test is shared.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(BackupServiceStandIn.class)
@WithTestResource(SandboxBbrResource.class)
class BackupServiceBbrCatalogTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Inject
    BbrArtifactCatalog bbrCatalog;

    @Inject
    SnapshotCatalog snapshots;

    private final String cluster = "catalog-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void eachCatalogTakesItsOwnKindOnlyNewestVerifiedFirst() {
        String snapshot = row("etcd-v3-snapshot", BackupStatus.VERIFIED, T0, "/backups/s.db", "ab".repeat(32));
        String olderDeployment = row("bbr-deployment", BackupStatus.VERIFIED, T0.plusSeconds(10), "/bbr/dep_1", null);
        String deployment = row("bbr-deployment", BackupStatus.VERIFIED, T0.plusSeconds(20), "/bbr/dep_2", null);
        row("bbr-deployment", BackupStatus.CORRUPT, T0.plusSeconds(30), "/bbr/dep_3", null);
        // the newest verified row of all is a bbr one with a sha256: never an etcd snapshot
        String director = row("bbr-director", BackupStatus.VERIFIED, T0.plusSeconds(40), "/bbr/dir_1", "cd".repeat(32));

        assertThat(snapshots.newestVerified(cluster)).map(SnapshotRef::id).contains(snapshot);
        assertThat(snapshots.verified(director)).isEmpty();
        assertThat(bbrCatalog.newestVerified(cluster, "bbr-deployment")).hasValueSatisfying(ref -> {
            assertThat(ref.id()).isEqualTo(deployment).isNotEqualTo(olderDeployment);
            assertThat(ref.kind()).isEqualTo("bbr-deployment");
            assertThat(ref.location()).isEqualTo("/bbr/dep_2");
            assertThat(ref.createdAt()).isEqualTo(T0.plusSeconds(20));
        });
        assertThat(bbrCatalog.newestVerified(cluster, "bbr-director")).map(BbrArtifactRef::id).contains(director);
    }

    @Test
    void verifiedByIdIsEmptyForUnknownSnapshotAndUnverifiedRows() {
        String snapshot = row("etcd-v3-snapshot", BackupStatus.VERIFIED, T0, "/backups/s.db", "ab".repeat(32));
        String corrupt = row("bbr-deployment", BackupStatus.CORRUPT, T0, "/bbr/dep_x", null);
        String noLocation = row("bbr-deployment", BackupStatus.VERIFIED, T0, null, null);
        String good = row("bbr-director", BackupStatus.VERIFIED, T0, "/bbr/dir_2", null);

        assertThat(bbrCatalog.verified(UUID.randomUUID().toString())).isEmpty();
        assertThat(bbrCatalog.verified(snapshot)).isEmpty();
        assertThat(bbrCatalog.verified(corrupt)).isEmpty();
        assertThat(bbrCatalog.verified(noLocation)).isEmpty();
        assertThat(bbrCatalog.verified(good)).map(BbrArtifactRef::describe).hasValueSatisfying(d ->
                assertThat(d).contains("bbr-director artifact " + good, "dir_2"));
    }

    @Test
    void aKindThatIsNotBbrIsABadArgument() {
        assertThatThrownBy(() -> bbrCatalog.newestVerified(cluster, "etcd-v3-snapshot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a bbr artifact kind");
    }

    private String row(String kind, BackupStatus status, Instant createdAt, String location, String sha256) {
        String id = UUID.randomUUID().toString();
        BackupServiceStandIn.add(new BackupUpdate(id, cluster, kind, status, "scheduled", null, null, null, location,
                "none", 100L, sha256, 7L, 3L, createdAt, createdAt, createdAt, "test row", 2), Path.of("/dev/null"));
        return id;
    }
}
