package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A backup's whole life through the REST API, against the sandbox's real etcd, Kafka and PostgreSQL. */
@QuarkusTest
class BackupLifecycleTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Inject
    ArtifactStore store;

    @Test
    void withOneMemberDownTheSnapshotComesFromAnotherIsVerifiedAndEveryStepIsAnEvent() throws Exception {
        EtcdCluster etcd = EtcdResource.cluster();
        etcd.putKeys("/lifecycle/", 300);
        long keys = etcd.countKeys();
        etcd.kill("etcd-1");
        String id;
        try (BackupEventsConsumer events = new BackupEventsConsumer()) {
            try {
                id = Backups.trigger("sandbox", null);
                JsonPath backup = Backups.awaitSettled(id);

                assertThat(backup.getString("status")).isEqualTo("verified");
                assertThat(backup.getString("member")).isIn("etcd-2", "etcd-3");
                assertThat(backup.getLong("keyCount")).isEqualTo(keys);
                assertThat(backup.getLong("revision")).isPositive();
                assertThat(backup.getString("verification")).contains("as cataloged");
                Path file = ((LocalArtifactStore) store).root().resolve(backup.getString("location"));
                assertThat(file).exists();
                assertThat(sha256(Files.newInputStream(file))).isEqualTo(backup.getString("sha256"));
            } finally {
                etcd.restart("etcd-1");
            }
            String backupId = id;
            List<BackupEventsConsumer.Received> seen = await().atMost(Duration.ofSeconds(20))
                    .until(() -> events.about(backupId), list -> !list.isEmpty()
                            && list.get(list.size() - 1).update().status() == BackupStatus.VERIFIED);
            assertThat(seen).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("sandbox");
                assertThat(r.event().subject()).isEqualTo("sandbox");
            });
            assertThat(seen.stream().map(r -> r.update().status()).distinct().toList())
                    .containsExactly(BackupStatus.IN_PROGRESS, BackupStatus.COMPLETED, BackupStatus.VERIFIED);
            assertThat(seen.stream().map(r -> r.update().sequence()).toList()).isSorted();
        }
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    void aGzipBackupIsVerifiedAndDownloadsAsStored() throws Exception {
        String id = Backups.trigger("sandbox", "gzip");
        JsonPath backup = Backups.awaitSettled(id);
        assertThat(backup.getString("status")).isEqualTo("verified");
        assertThat(backup.getString("compression")).isEqualTo("gzip");
        assertThat(backup.getString("location")).endsWith(".db.gz");

        byte[] downloaded = given().when().get("/api/v1/backups/" + id + "/download")
                .then().statusCode(200).header("X-Cpr-Sha256", backup.getString("sha256"))
                .extract().asByteArray();

        assertThat(downloaded).hasSize(backup.getInt("sizeBytes"));
        assertThat(sha256(new java.io.ByteArrayInputStream(downloaded))).isEqualTo(backup.getString("sha256"));
    }

    @Test
    void aBitFlippedAndATruncatedArtifactAreFoundCorruptAndNeverHandedOut() throws Exception {
        String flippedId = Backups.trigger("sandbox", null);
        String truncatedId = Backups.trigger("sandbox", "gzip");
        JsonPath flipped = Backups.awaitSettled(flippedId);
        JsonPath truncated = Backups.awaitSettled(truncatedId);
        assertThat(flipped.getString("status")).isEqualTo("verified");
        assertThat(truncated.getString("status")).isEqualTo("verified");

        Path flippedFile = ((LocalArtifactStore) store).root().resolve(flipped.getString("location"));
        byte[] bytes = Files.readAllBytes(flippedFile);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(flippedFile, bytes);
        Path truncatedFile = ((LocalArtifactStore) store).root().resolve(truncated.getString("location"));
        byte[] whole = Files.readAllBytes(truncatedFile);
        Files.write(truncatedFile, java.util.Arrays.copyOf(whole, whole.length / 2));

        given().when().post("/api/v1/backups/" + flippedId + "/verify")
                .then().statusCode(200).body("status", equalTo("corrupt")).body("verification", containsString("sha256"));
        given().when().post("/api/v1/backups/" + truncatedId + "/verify")
                .then().statusCode(200).body("status", equalTo("corrupt"));

        given().when().get("/api/v1/backups/" + flippedId + "/download")
                .then().statusCode(409).contentType("application/problem+json");
        List<String> verified = given().when().get("/api/v1/backups?cluster=sandbox&status=verified")
                .then().statusCode(200).extract().jsonPath().getList("backupId");
        assertThat(verified).doesNotContain(flippedId, truncatedId);
    }

    @Test
    void deleteRemovesTheEntryAndItsArtifact() {
        String id = Backups.trigger("sandbox", null);
        JsonPath backup = Backups.awaitSettled(id);
        Path file = ((LocalArtifactStore) store).root().resolve(backup.getString("location"));
        assertThat(file).exists();

        given().when().delete("/api/v1/backups/" + id).then().statusCode(204);

        assertThat(file).doesNotExist();
        given().when().get("/api/v1/backups/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void metricsCarryTheLastVerifiedBackupTimeOfTheCluster() {
        Backups.awaitSettled(Backups.trigger("sandbox", null));

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("cpr_backup_last_verified_timestamp_seconds{cluster=\"sandbox\"}"))
                .body(containsString("cpr_backup_snapshot_duration_seconds_count{cluster=\"sandbox\",outcome=\"completed\"}"));
    }

    static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
