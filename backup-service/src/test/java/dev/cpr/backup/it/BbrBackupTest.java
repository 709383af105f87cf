package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.app.BbrBackups;
import dev.cpr.backup.app.Housekeeping;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BBR backups of the {@code kind: bosh} cluster {@code pks} through the REST API: the real sandbox {@code bbr}
 * process against the BOSH director simulator over real etcd members, cataloged in the real PostgreSQL and published
 * on the real Kafka ({@link BackupWorld}; the same resources as every other test here, so Quarkus starts once).
 */
@QuarkusTest
class BbrBackupTest {

    private static final Pattern BACKUP_ID = Pattern.compile("backup ([0-9a-f-]{36})");

    @Inject
    Catalog catalog;
    @Inject
    Housekeeping housekeeping;
    @Inject
    BbrBackups bbr;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @AfterEach
    void everyMasterRunningAgain() {
        EtcdCluster etcd = BackupWorld.pks();
        for (var member : etcd.members()) {
            if (!etcd.localMember(member.name()).isRunning()) {
                etcd.restart(member.name());
            }
        }
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    void aDeploymentBackupThroughRestIsVerifiedCatalogedWithItsArtifactDirectoryAndPublished() {
        try (BackupEventsConsumer events = new BackupEventsConsumer()) {
            JsonPath started = trigger("bbr-deployment");
            assertThat(started.getString("kind")).isEqualTo("bbr-deployment");
            assertThat(started.getString("status")).isEqualTo("in-progress");
            String id = started.getString("backupId");

            JsonPath backup = Backups.awaitSettled(id);

            assertThat(backup.getString("status")).as(backup.getString("verification")).isEqualTo("verified");
            assertThat(backup.getString("verification")).contains("verified", "instance(s) match their sha256");
            assertThat(backup.getString("createdAt")).isNotNull();
            assertThat(backup.getString("verifiedAt")).isNotNull();
            Path artifact = Path.of(backup.getString("location"));
            assertThat(artifact).isAbsolute().isDirectory().startsWith(BackupWorld.BBR_ARTIFACTS);
            assertThat(artifact.resolve("metadata")).isRegularFile();
            assertThat(artifact.getFileName().toString()).startsWith(BackupWorld.director().deployment() + "_");
            List<String> listed = given().when()
                    .get("/api/v1/backups?cluster=pks&status=verified&kind=bbr-deployment")
                    .then().statusCode(200).extract().jsonPath().getList("backupId");
            assertThat(listed).contains(id);
            List<String> snapshots = given().when().get("/api/v1/backups?cluster=pks&kind=etcd-v3-snapshot")
                    .then().statusCode(200).extract().jsonPath().getList("backupId");
            assertThat(snapshots).doesNotContain(id);

            List<BackupEventsConsumer.Received> seen = await().atMost(Duration.ofSeconds(20))
                    .until(() -> events.about(id), list -> !list.isEmpty()
                            && list.get(list.size() - 1).update().status() == BackupStatus.VERIFIED);
            assertThat(seen).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("pks");
                assertThat(r.update().kind()).isEqualTo("bbr-deployment");
            });
            assertThat(seen.stream().map(r -> r.update().status()).distinct().toList())
                    .containsExactly(BackupStatus.IN_PROGRESS, BackupStatus.VERIFIED);
            assertThat(seen.get(seen.size() - 1).update().location()).isEqualTo(artifact.toString());

            // its artifact is a directory bbr restores in place: no download, no v2 export
            given().when().get("/api/v1/backups/" + id + "/download")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("bbr-deployment"));
            // deleting the row deletes its artifact directory
            given().when().delete("/api/v1/backups/" + id).then().statusCode(204);
            assertThat(artifact).doesNotExist();
            given().when().get("/api/v1/backups/" + id).then().statusCode(404);
        }
    }

    @Test
    void aDirectorBackupIsVerified() {
        String id = trigger("bbr-director").getString("backupId");

        JsonPath backup = Backups.awaitSettled(id);

        assertThat(backup.getString("kind")).isEqualTo("bbr-director");
        assertThat(backup.getString("status")).as(backup.getString("verification")).isEqualTo("verified");
        assertThat(Path.of(backup.getString("location")).resolve("metadata")).isRegularFile();
    }

    @Test
    void aBbrKindForAClusterThatIsNotBoshIsABadRequestNamingKind() {
        given().contentType(ContentType.JSON).body(Map.of("cluster", "sandbox", "kind", "bbr-deployment"))
                .when().post("/api/v1/backups")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", containsString("'kind'"))
                .body("detail", containsString("cluster 'sandbox' is kind: etcd"));
        given().contentType(ContentType.JSON).body(Map.of("cluster", "pks", "kind", "tarball"))
                .when().post("/api/v1/backups")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", containsString("'kind'"))
                .body("detail", containsString("bbr-director"));
        given().when().get("/api/v1/backups?kind=tarball")
                .then().statusCode(400).body("title", containsString("'kind'"));
        given().contentType(ContentType.JSON).body(Map.of("cluster", "pks", "kind", "bbr-deployment",
                        "compression", "gzip"))
                .when().post("/api/v1/backups")
                .then().statusCode(400).body("title", containsString("'compression'"));
        assertThat(catalog.list("sandbox", null, null, dev.cpr.backup.domain.kind.BackupKind.BBR_DEPLOYMENT))
                .isEmpty();
    }

    @Test
    void withAMasterDownTheBbrRowFailsSayingItFellBackAndNamesTheVerifiedSnapshotTakenInstead() {
        // seed 001: the etcd job on one master fails, bbr cannot back the deployment up
        BackupWorld.director().failJob("etcd-2");
        String master = "master/" + BackupWorld.director().instance("etcd-2").id();

        JsonPath backup = Backups.awaitSettled(trigger("bbr-deployment").getString("backupId"));

        assertThat(backup.getString("status")).isEqualTo("failed");
        assertThat(backup.getString("location")).isNull();
        String reason = backup.getString("verification");
        assertThat(reason).contains(master + " is down", "FELL BACK", "backup-cleanup ran");
        Matcher named = BACKUP_ID.matcher(reason);
        assertThat(named.find()).as(reason).isTrue();
        JsonPath snapshot = Backups.awaitSettled(named.group(1));
        assertThat(snapshot.getString("kind")).isEqualTo("etcd-v3-snapshot");
        assertThat(snapshot.getString("clusterId")).isEqualTo("pks");
        assertThat(snapshot.getString("trigger")).isEqualTo("manual");
        assertThat(snapshot.getString("status")).as(snapshot.getString("verification")).isEqualTo("verified");
        assertThat(snapshot.getString("member")).isIn("etcd-1", "etcd-3");
    }

    @Test
    void bbrKilledMidBackupLeavesAFailedRowNothingVerifiedAndCleanupRan() throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        String id;
        try (AutoCloseable tap = bbr.onOutput((backupId, line) -> {
            if (line.contains("Running backup scripts") && !killed.get()) {
                // as the OOM killer would: SIGKILL to the running bbr backup process
                killed.set(ProcessHandle.current().descendants()
                        .filter(p -> commandLine(p).contains("dev.cpr.sandbox.bbr.BbrMain"))
                        .filter(p -> commandLine(p).contains(" backup --artifact-path "))
                        .filter(ProcessHandle::destroyForcibly)
                        .count() > 0);
            }
        })) {
            id = trigger("bbr-deployment").getString("backupId");
            JsonPath backup = Backups.awaitSettled(id);

            assertThat(killed).isTrue();
            assertThat(backup.getString("status")).isEqualTo("failed");
            assertThat(backup.getString("location")).isNull();
            assertThat(backup.getString("verification")).contains("killed by signal 9", "backup-cleanup ran");
        }
        assertThat(catalog.list("pks", BackupStatus.VERIFIED)).extracting(BackupUpdate::backupId).doesNotContain(id);
        List<String> kept = catalog.list("pks", null).stream().map(BackupUpdate::location)
                .filter(l -> l != null).toList();
        assertThat(directories(BackupWorld.BBR_ARTIFACTS.resolve("pks")))
                .as("no partial artifact left beside the cataloged ones")
                .allMatch(d -> kept.contains(d.toString()));
        assertThat(leftOnInstances()).as("bbr-backup directories left on the instances").isEmpty();
    }

    @Test
    void drillsAndHousekeepingNeverTouchBbrRows() {
        String id = trigger("bbr-deployment").getString("backupId");
        JsonPath before = Backups.awaitSettled(id);
        assertThat(before.getString("status")).isEqualTo("verified");

        given().when().post("/api/v1/backups/" + id + "/verify")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("restore drills are for etcd snapshots"));
        given().contentType("application/octet-stream").body(new byte[] {1, 2, 3})
                .when().post("/api/v1/backups/" + id + "/check")
                .then().statusCode(409);
        housekeeping.run();

        assertThat(catalog.undrilled(Instant.now().plusSeconds(3600))).extracting(BackupUpdate::kind)
                .doesNotContain("bbr-deployment", "bbr-director");
        assertThat(catalog.expectation(UUID.fromString(id))).isEmpty();
        JsonPath after = Backups.get(id);
        assertThat(after.getString("status")).isEqualTo("verified");
        assertThat(after.getLong("sequence")).isEqualTo(before.getLong("sequence"));
        assertThat(Path.of(after.getString("location"))).isDirectory();
    }

    @Test
    void retentionKeepsEachKindApartAndDeletesAnExpiredArtifactDirectory() {
        // pks keeps count 1: of each kind, not of all its backups together
        String snapshot = Backups.trigger("pks", null);
        assertThat(Backups.awaitSettled(snapshot).getString("status")).isEqualTo("verified");
        JsonPath first = Backups.awaitSettled(trigger("bbr-deployment").getString("backupId"));
        assertThat(first.getString("status")).isEqualTo("verified");
        Path firstArtifact = Path.of(first.getString("location"));

        JsonPath second = Backups.awaitSettled(trigger("bbr-deployment").getString("backupId"));

        assertThat(second.getString("status")).isEqualTo("verified");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when()
                .get("/api/v1/backups/" + first.getString("backupId")).then().statusCode(404));
        assertThat(firstArtifact).doesNotExist();
        assertThat(Path.of(second.getString("location"))).isDirectory();
        assertThat(Backups.get(snapshot).getString("status")).as("the newest verified snapshot stays")
                .isEqualTo("verified");
    }

    private static JsonPath trigger(String kind) {
        return given().contentType(ContentType.JSON).body(Map.of("cluster", "pks", "kind", kind))
                .when().post("/api/v1/backups")
                .then().statusCode(202).body("kind", equalTo(kind)).extract().jsonPath();
    }

    /** From /proc: the JDK's ProcessHandle.Info gives up on a command line as long as this classpath. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> directories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static List<Path> leftOnInstances() throws IOException {
        try (Stream<Path> walk = Files.walk(BackupWorld.directorDir())) {
            return walk.filter(p -> p.getFileName().toString().equals("bbr-backup")).toList();
        }
    }
}
