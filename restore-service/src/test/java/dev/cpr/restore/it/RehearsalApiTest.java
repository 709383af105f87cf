package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.restore.adapters.etcd.RecordedChangeLog;
import dev.cpr.restore.adapters.persistence.PanacheRehearsals;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's rehearsal over REST, in the service: {@code POST /api/v1/clusters/{id}/rehearsals} rehearses the
 * sandbox cluster's quorum restore from backup-service's snapshot and change log (played by
 * {@link BackupServiceStandIn}), {@code GET /api/v1/rehearsals} lists it, the metrics show it, and it is no recovery
 * plan of the cluster.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class RehearsalApiTest {

    private static final String VIEWER = QuorumRestoreFlowTest.VIEWER;
    private static final String OPERATOR = QuorumRestoreFlowTest.OPERATOR;

    @Inject
    PanacheRehearsals rehearsals;

    @Test
    void aClusterIsClaimedByOneReplicaAtATimeInTheTableAndTakenOverOnceTheClaimHasExpired() {
        // given replica a claims the cluster for an hour
        Instant t0 = Instant.parse("2026-12-05T02:00:00Z");
        String cluster = "claimed-" + UUID.randomUUID();
        assertThat(rehearsals.claim(cluster, "replica-a", t0, t0.plus(Duration.ofHours(1)))).isTrue();

        // when replica b asks within the hour, and after it
        boolean within = rehearsals.claim(cluster, "replica-b", t0.plus(Duration.ofMinutes(30)),
                t0.plus(Duration.ofMinutes(90)));
        boolean after = rehearsals.claim(cluster, "replica-b", t0.plus(Duration.ofMinutes(61)),
                t0.plus(Duration.ofMinutes(121)));

        // then b is refused while a's claim holds, and holds it once that has expired; a is then refused
        assertThat(within).isFalse();
        assertThat(after).isTrue();
        assertThat(rehearsals.claim(cluster, "replica-a", t0.plus(Duration.ofMinutes(62)),
                t0.plus(Duration.ofMinutes(122)))).isFalse();
    }

    @Test
    void anUnknownClusterIsA404NamingItAViewerMayNotRunOneAndABadLimitIsA400() {
        given().auth().oauth2(OPERATOR).post("/api/v1/clusters/nowhere/rehearsals").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("cluster 'nowhere' is not in the inventory"))
                .body("detail", containsString("sandbox"));
        given().auth().oauth2(VIEWER).post("/api/v1/clusters/sandbox/rehearsals").then().statusCode(403);
        given().auth().oauth2(VIEWER).get("/api/v1/rehearsals?limit=0").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Bad request parameter 'limit'"));
    }

    @Test
    void aRehearsalRunOverRestIsRecordedWithItsRtoAndIsNoRecoveryPlanOfTheCluster() throws Exception {
        EtcdCluster etcd = EtcdResource.cluster();
        etcd.awaitHealthy(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox")
                        .as(QuorumRestoreFlowTest.Plan[].class)).stream().allMatch(p -> p.state().isFinal()));
        // given a verified snapshot of the sandbox cluster and a change log of 30 keys written after it
        etcd.putKeys("/rehearsal-api/in-the-snapshot/", 20);
        BackupUpdate snapshot = QuorumRestoreFlowTest.snapshotOf(etcd);
        BackupServiceStandIn.add(snapshot, QuorumRestoreFlowTest.snapshotFile(snapshot.backupId()));
        etcd.putKeys("/rehearsal-api/after/", 30);
        long newest = etcd.revision();
        for (byte[] segment : RecordedChangeLog.record(etcd, snapshot.revision(), newest, 10)) {
            BackupServiceStandIn.addSegment(segment);
        }
        long keys = etcd.countKeys();
        Map<String, Long> pids = pids(etcd);

        // when an operator rehearses its quorum restore
        JsonPath done;
        try {
            done = given().auth().oauth2(OPERATOR).post("/api/v1/clusters/sandbox/rehearsals").then()
                    .statusCode(201).extract().jsonPath();
        } finally {
            // the sandbox's later quorum losses must not find this change log after their own snapshots
            BackupServiceStandIn.forget(snapshot);
        }

        // then it passed, restored the snapshot and the change log to its newest point, and says how long it took
        assertThat(done.getString("verdict")).as(done.getString("reason")).isEqualTo("PASSED");
        assertThat(done.getLong("rtoMillis")).isPositive();
        assertThat(done.getString("snapshotId")).isEqualTo(snapshot.backupId());
        assertThat(done.getLong("targetRevision")).isEqualTo(newest);
        assertThat(done.getLong("revisionReached")).isEqualTo(newest);
        assertThat(done.getLong("keyCount")).isEqualTo(keys);
        assertThat(done.getList("steps.name", String.class)).hasSize(10).contains("replay-changes", "verify-point");
        // and it is recorded and measured
        JsonPath listed = given().auth().oauth2(VIEWER).get("/api/v1/rehearsals?cluster=sandbox").then()
                .statusCode(200).extract().jsonPath();
        assertThat(listed.getString("[0].id")).isEqualTo(done.getString("id"));
        assertThat(listed.getLong("[0].rtoMillis")).isEqualTo(done.getLong("rtoMillis"));
        assertThat(listed.getList("[0].steps.millis", Long.class)).hasSize(10);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("cpr_rehearsal_rto_seconds{cluster=\"sandbox\"}")
                .contains("cpr_rehearsals_total{cluster=\"sandbox\",verdict=\"passed\"}");
        // and it is no recovery plan: none listed for any cluster, none for the scratch cluster
        List<QuorumRestoreFlowTest.Plan> plans = List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries")
                .as(QuorumRestoreFlowTest.Plan[].class));
        assertThat(plans).extracting(QuorumRestoreFlowTest.Plan::clusterId).doesNotContain(done.getString("scratchId"));
        // and the sandbox cluster was not touched: the same member processes, the same revision
        assertThat(pids(etcd)).isEqualTo(pids);
        assertThat(etcd.revision()).isEqualTo(newest);
    }

    private static Map<String, Long> pids(EtcdCluster etcd) {
        Map<String, Long> pids = new TreeMap<>();
        etcd.members().forEach(m -> pids.put(m.name(), etcd.pid(m.name()).orElseThrow()));
        return pids;
    }
}
