package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/recoveries} for {@code etcd-point-in-time-restore}: exactly one of {@code targetRevision} and
 * {@code targetTime}, a time resolved to a revision through backup-service's change log (played by
 * {@link BackupServiceStandIn}) when the plan is proposed, and the target stored with the plan.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class PointInTimeRestoreApiTest {

    private static final String VIEWER = QuorumRestoreFlowTest.VIEWER;
    private static final String OPERATOR = QuorumRestoreFlowTest.OPERATOR;
    private static final String PITR = "\"cluster\":\"sandbox\",\"plan\":\"etcd-point-in-time-restore\"";

    private static io.restassured.response.Response trigger(String json) {
        return given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(json).post("/api/v1/recoveries");
    }

    @Test
    void aPointInTimeTriggerWithNeitherOrBothTargetsOrABadTimeIsA400NamingTheField() {
        trigger("{" + PITR + "}").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'targetRevision'"))
                .body("detail", containsString("'targetRevision' or 'targetTime' is required"));
        trigger("{" + PITR + ",\"targetRevision\":120,\"targetTime\":\"2026-12-03T07:15:00Z\"}").then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad request parameters 'targetRevision' and 'targetTime'"))
                .body("detail", containsString("not both"));
        trigger("{" + PITR + ",\"targetTime\":\"yesterday at noon\"}").then().statusCode(400)
                .body("title", equalTo("Bad request parameter 'targetTime'"))
                .body("detail", containsString("ISO-8601"));
        trigger("{" + PITR + ",\"targetRevision\":0}").then().statusCode(400)
                .body("title", equalTo("Bad request parameter 'targetRevision'"))
                .body("detail", containsString("must be a revision (1 or more)"));
    }

    @Test
    void aTargetGivenForAnotherPlanIsA400NamingTheField() {
        trigger("{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\",\"targetRevision\":120}").then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'targetRevision'"))
                .body("detail", containsString("only for etcd-point-in-time-restore"));
        trigger("{\"cluster\":\"sandbox\",\"plan\":\"etcd-member-replace\",\"member\":\"etcd-2\","
                + "\"targetTime\":\"2026-12-03T07:15:00Z\"}").then().statusCode(400)
                .body("title", equalTo("Bad request parameter 'targetTime'"))
                .body("detail", containsString("etcd-member-replace does not restore to a point in time"));
    }

    @Test
    void aSnapshotTakenAfterTheTargetIsA400SayingAReplayOnlyGoesForward() throws Exception {
        EtcdResource.cluster().putKeys("/pitr-api/before-the-snapshot/", 10);
        BackupUpdate snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));

        trigger("{" + PITR + ",\"snapshotId\":\"" + snapshot.backupId() + "\",\"targetRevision\":"
                + (snapshot.revision() - 1) + "}").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Unusable snapshot"))
                .body("detail", containsString("snapshot " + snapshot.backupId() + " is at revision "
                        + snapshot.revision() + ", after the target revision " + (snapshot.revision() - 1)));
    }

    @Test
    void aTargetTimeIsResolvedToItsRevisionAndThePlanIsStoredAwaitingApprovalWithThatTarget() throws Exception {
        EtcdResource.cluster().awaitHealthy(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().allMatch(p -> p.state().isFinal()));
        // given a verified snapshot at revision r, and the change log saw revision r + 5 a minute ago
        EtcdResource.cluster().putKeys("/pitr-api/in-the-snapshot/", 10);
        BackupUpdate snapshot = QuorumRestoreFlowTest.snapshotOf(EtcdResource.cluster());
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));
        long target = snapshot.revision() + 5;
        Instant seen = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        BackupServiceStandIn.changeAt("sandbox", seen.minusSeconds(30), target - 1);
        BackupServiceStandIn.changeAt("sandbox", seen, target);

        // when an operator asks for the cluster as it was 10 s after that change
        JsonPath proposed = trigger("{" + PITR + ",\"targetTime\":\"" + seen.plusSeconds(10) + "\"}").then()
                .statusCode(201).extract().jsonPath();

        // then the plan waits for approval with the exact revision, the snapshot it starts from and its steps
        String id = proposed.getString("id");
        JsonPath stored = given().auth().oauth2(VIEWER).get("/api/v1/recoveries/" + id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(stored.getString("state")).isEqualTo("AWAITING_APPROVAL");
        assertThat(stored.getLong("targetRevision")).isEqualTo(target);
        assertThat(stored.getString("snapshot.id")).isEqualTo(snapshot.backupId());
        assertThat(stored.getString("message")).contains("snapshot " + snapshot.backupId())
                .contains("replay the change log to revision " + target + " (the revision at " + seen.plusSeconds(10))
                .contains("5 revisions after the snapshot");
        assertThat(stored.getList("steps.name", String.class)).containsExactly("fetch-snapshot", "fetch-change-log",
                "stop-members", "restore-members", "start-members", "verify-restore", "replay-changes", "verify-point",
                "restore-v2-keys", "post-restore-hooks");
        assertThat(stored.getList("steps.description", String.class)).filteredOn(d -> d.contains("revision " + target))
                .hasSize(3);
        assertThat(stored.getList("steps.findAll { it.destructive }.name", String.class))
                .containsExactly("restore-members", "replay-changes");
        assertThat(stored.getString("digest")).isEqualTo(proposed.getString("digest"));

        // and it changes nothing until someone approves: reject it
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"only a test\"}")
                .post("/api/v1/recoveries/" + id + "/reject").then().statusCode(200).body("state", equalTo("REJECTED"));
        assertThat(EtcdResource.cluster().isHealthy("etcd-1")).isTrue();
    }
}
