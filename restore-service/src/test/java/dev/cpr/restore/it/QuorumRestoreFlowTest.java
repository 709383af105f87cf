package dev.cpr.restore.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 against real servers: two of three members die and lose their data; restore-service proposes an
 * {@code etcd-quorum-restore} from the newest verified snapshot, waits for approval, an operator approves
 * over REST, and the cluster comes back with exactly the snapshot's keys. The snapshot is real (streamed from
 * the sandbox's etcd with jetcd); backup-service's catalog API is played by {@link BackupServiceStandIn}.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
class QuorumRestoreFlowTest {

    static final String VIEWER = "rs-test-viewer-token";
    static final String OPERATOR = "rs-test-operator-token";
    private static final EventCodec HEALTH_MONITOR = new EventCodec("/cpr/health-monitor", Clock.systemUTC());

    private static final List<String> HUNG = List.of("etcd-2", "etcd-3");

    private EtcdCluster cluster;

    @BeforeEach
    void clusterIsHealthyAndIdle() {
        cluster = EtcdResource.cluster();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox").as(Plan[].class))
                        .stream().noneMatch(p -> p.state() == PlanState.RUNNING));
    }

    @Test
    void quorumLossIsRestoredFromTheVerifiedSnapshotAfterARestApproval() throws Exception {
        cluster.putKeys("/restore-it/quorum/", 2_000);
        BackupUpdate snapshot = snapshotOf(cluster);
        BackupServiceStandIn.add(snapshot, snapshotFile(snapshot.backupId()));
        cluster.putKeys("/restore-it/after-snapshot/", 50);
        assertThat(cluster.countKeys()).isEqualTo(snapshot.keyCount() + 50);

        // seed 000, and worse: every member fails and its etcd data is gone, so only the snapshot can bring it back
        // (with a member's data left, the least destructive way out is to rebuild from it, not this restore)
        for (String member : List.of("etcd-1", "etcd-2", "etcd-3")) {
            cluster.kill(member);
            cluster.wipe(member);
        }
        IncidentOpened incident = quorumLost();
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));

        Plan waiting = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state() != null
                        && p.get().state() != PlanState.PROPOSED).orElseThrow();
        assertThat(waiting.state()).as(waiting.message()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(waiting.plan()).isEqualTo("etcd-quorum-restore");
        assertThat(waiting.snapshot()).containsEntry("id", snapshot.backupId())
                .containsEntry("sha256", snapshot.sha256());
        assertThat(((Number) waiting.snapshot().get("keyCount")).longValue()).isEqualTo(snapshot.keyCount());
        assertThat(waiting.options()).extracting(o -> o.get("plan") + " viable=" + o.get("viable") + " chosen="
                + o.get("chosen")).containsExactly("etcd-quorum-revive viable=false chosen=false",
                "etcd-survivor-rebuild viable=false chosen=false", "etcd-quorum-restore viable=true chosen=true");
        assertThat(((Number) waiting.options().get(2).get("secondsLost")).longValue()).isGreaterThanOrEqualTo(0);
        assertThat(List.of("etcd-1", "etcd-2", "etcd-3")).as("nothing is started before the approval")
                .noneMatch(m -> cluster.localMember(m).isRunning());

        // a viewer may not approve; an operator may, once
        given().auth().oauth2(VIEWER).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve")
                .then().statusCode(403).contentType("application/problem+json");
        int downloadsBefore = BackupServiceStandIn.downloads(); // the stand-in counts for every test in this JVM
        long approvedAt = System.nanoTime();
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"seed 000 drill\"}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve")
                .then().statusCode(200).body("state", equalTo("RUNNING")).body("plan.decidedBy", equalTo("rs-operator"));
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("not AWAITING_APPROVAL"));

        Plan done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent() && p.get().state().isFinal())
                .orElseThrow();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - approvedAt);
        System.out.printf("MEASURED etcd-quorum-restore: approval -> %s in %d ms (rto %d ms, rpo %d s)%n",
                done.state(), tookMillis, done.rtoMillis(), done.rpoSeconds());

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(StepView::name).containsExactly("fetch-snapshot", "fetch-change-log",
                "stop-members", "restore-members", "start-members", "verify-restore", "replay-changes", "verify-point",
                "restore-v2-keys", "post-restore-hooks");
        // stop-members: every member is down already; no target revision: the change log steps are skipped
        assertThat(done.steps()).extracting(StepView::state).containsExactly(StepState.SUCCEEDED, StepState.SKIPPED,
                StepState.SKIPPED, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SKIPPED,
                StepState.SKIPPED, StepState.SKIPPED, StepState.SKIPPED);
        assertThat(done.decidedBy()).isEqualTo("rs-operator");
        assertThat(done.rpoSeconds()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(done.rtoMillis()).isPositive();
        cluster.awaitHealthy(Duration.ofSeconds(10));
        assertThat(cluster.countKeys()).isEqualTo(snapshot.keyCount());
        assertThat(done.steps().get(3).output()).as("no member had a data dir left to move aside")
                .contains("etcd-1 restored").contains("it had no data dir");
        assertThat(BackupServiceStandIn.downloads() - downloadsBefore).as("the snapshot is downloaded once").isEqualTo(1);

        // the REST decision is on cpr.approvals for the audit
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(KafkaTopics.events("cpr.approvals"))
                .filteredOn(e -> e.type().equals(EventTypes.APPROVAL_DECIDED))
                .map(e -> EventCodec.data(e, ApprovalDecided.class))
                .anyMatch(d -> d.planId().equals(done.id()) && d.decision() == Decision.APPROVED
                        && d.channel() == ApprovalChannel.REST && d.decidedBy().equals("rs-operator")));
    }

    /** Passed or failed, the members a test hung go on (a SIGCONT to a running process changes nothing). */
    @AfterEach
    void resumeHungMembers() {
        HUNG.forEach(member -> cluster.resume(member));
    }

    /**
     * A real quorum loss in which every member keeps its process and its data: etcd-2 and etcd-3 hang (SIGSTOP), and
     * etcd-1, alone, loses its leader. The ranking's answer is a rebuild from the survivor, for approval; a plan for a
     * quorum loss the members no longer show is not made at all (the quorum is back).
     */
    private void quorumLostWithEveryMembersDataKept() {
        HUNG.forEach(member -> cluster.hang(member));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !cluster.isHealthy("etcd-1"));
    }

    @Test
    void aWaitingRestoreIsWithdrawnWhenItsIncidentResolvesByItself() throws Exception {
        BackupUpdate snapshot = snapshotOf(cluster);
        BackupServiceStandIn.add(snapshot, snapshotFile(snapshot.backupId()));
        quorumLostWithEveryMembersDataKept();
        IncidentOpened incident = quorumLost();
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));
        Plan waiting = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent()
                        && p.get().state() == PlanState.AWAITING_APPROVAL).orElseThrow();

        // when: the quorum came back by itself before anyone approved
        resumeHungMembers();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(HEALTH_MONITOR.wrap(EventTypes.INCIDENT_RESOLVED,
                "sandbox", new IncidentResolved(incident.incidentId(), "sandbox", FailureKind.QUORUM_LOST,
                        incident.detectedAt(), Instant.now()))));

        // then: approving it later can no longer restore over the live cluster
        Plan withdrawn = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent()
                        && p.get().state() == PlanState.CANCELLED).orElseThrow();
        assertThat(withdrawn.id()).isEqualTo(waiting.id());
        assertThat(withdrawn.message()).contains("resolved by itself");
        given().auth().oauth2(OPERATOR).contentType("application/json").body("{}")
                .post("/api/v1/recoveries/" + waiting.id() + "/approve").then().statusCode(409);
        assertThat(cluster.isHealthy("etcd-2")).isTrue();
    }

    @Test
    void anIncidentThatFindsTheClusterBusyIsPlannedWhenTheActivePlanEnds() throws Exception {
        BackupUpdate snapshot = snapshotOf(cluster);
        BackupServiceStandIn.add(snapshot, snapshotFile(snapshot.backupId()));
        // given a plan waiting for approval on the cluster (a manual restore)
        String manual = given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\"}").post("/api/v1/recoveries")
                .then().statusCode(201).extract().path("id");

        // when a quorum loss opens meanwhile, and the waiting plan is then rejected
        quorumLostWithEveryMembersDataKept();
        IncidentOpened incident = quorumLost();
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> planOf(incident.incidentId()).isEmpty());
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{\"reason\":\"not this one\"}")
                .post("/api/v1/recoveries/" + manual + "/reject").then().statusCode(200);

        // then the incident gets its own plan once the cluster is free
        Plan planned = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), p -> p.isPresent()
                        && p.get().state() == PlanState.AWAITING_APPROVAL).orElseThrow();
        assertThat(planned.plan()).as("every member's data is there: rebuilt from a survivor, not restored")
                .isEqualTo("etcd-survivor-rebuild");
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + planned.id() + "/cancel").then().statusCode(200);
    }

    @Test
    void aCatalogWithoutAVerifiedSnapshotLeavesNoRestoreOptionAndSaysWhy() {
        // every member keeps its data here: the survivor rebuild is proposed, and the restore option says why not
        BackupServiceStandIn.clear();
        quorumLostWithEveryMembersDataKept();
        IncidentOpened incident = new IncidentOpened("inc-" + UUID.randomUUID(), "sandbox", FailureKind.QUORUM_LOST,
                List.of("etcd-2", "etcd-3"), List.of(), "quorum lost", Instant.now(), Instant.now());
        KafkaTopics.send("cpr.incidents", "sandbox", EventCodec.encode(
                HEALTH_MONITOR.wrap(EventTypes.INCIDENT_OPENED, "sandbox", incident)));

        Plan proposed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> planOf(incident.incidentId()), Optional::isPresent).orElseThrow();

        assertThat(proposed.plan()).isEqualTo("etcd-survivor-rebuild");
        assertThat(proposed.state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(proposed.options().get(2)).containsEntry("plan", "etcd-quorum-restore")
                .containsEntry("viable", false);
        assertThat((String) proposed.options().get(2).get("loses"))
                .contains("backup-service has no verified snapshot of sandbox");
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/recoveries/" + proposed.id() + "/cancel").then().statusCode(200);
        resumeHungMembers();
        cluster.awaitHealthy(Duration.ofSeconds(30));
    }

    static BackupUpdate snapshotOf(EtcdCluster cluster) throws Exception {
        String id = UUID.randomUUID().toString();
        Path file = snapshotFile(id);
        Files.createDirectories(file.getParent());
        // a fresh client on a member healthy now: the sandbox's shared client may still hold connections from
        // before an earlier test restored the cluster under a new cluster id
        cluster.awaitHealthy(Duration.ofSeconds(30));
        String endpoint = cluster.members().stream().filter(m -> cluster.isHealthy(m.name())).findFirst().orElseThrow()
                .clientUrl();
        io.etcd.jetcd.kv.GetResponse count;
        try (io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder().endpoints(endpoint).build();
                OutputStream out = Files.newOutputStream(file)) {
            client.getMaintenanceClient().snapshot(out).get(30, TimeUnit.SECONDS);
            ByteSequence zero = ByteSequence.from(new byte[] {0});
            count = client.getKVClient()
                    .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build()).get(10, TimeUnit.SECONDS);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new BackupUpdate(id, "sandbox", "etcd-v3-snapshot", BackupStatus.VERIFIED, "manual", null, null,
                "etcd-1", "local:" + file, "none", Files.size(file), sha, count.getHeader().getRevision(),
                count.getCount(), now, now, now, "drill: ok", 3);
    }

    static Path snapshotFile(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "cpr-restore-it", id + ".db");
    }

    private static IncidentOpened quorumLost() {
        Instant now = Instant.now();
        return new IncidentOpened("inc-" + UUID.randomUUID(), "sandbox", FailureKind.QUORUM_LOST,
                List.of("etcd-2", "etcd-3"), List.of(new MemberHealth("etcd-2", null, false, "connection refused"),
                        new MemberHealth("etcd-3", null, false, "connection refused")),
                "2 of 3 members down: quorum lost", now, now);
    }

    static Optional<Plan> planOf(String incidentId) {
        return List.of(given().auth().oauth2(VIEWER).get("/api/v1/recoveries?cluster=sandbox").as(Plan[].class))
                .stream().filter(p -> p.incidentId().equals(incidentId)).findFirst();
    }

    /** The REST shape, read back. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(String id, String incidentId, String clusterId, String plan, String targetMember, PlanState state,
            long sequence, String message, Long rtoMillis, Long rpoSeconds, String decidedBy,
            Map<String, Object> snapshot, boolean dryRun, List<StepView> steps, List<Map<String, Object>> options) {
    }
}
