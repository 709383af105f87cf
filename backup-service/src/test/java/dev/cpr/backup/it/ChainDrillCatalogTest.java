package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.app.ChainDrills;
import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.sandbox.testing.KafkaResource;
import io.etcd.jetcd.ByteSequence;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A chain drill in the service: a real snapshot of the sandbox cluster verified by its restore drill, segments after
 * it in the artifact store and the PostgreSQL catalog, one of them bit-flipped. The mark (V8) and its incident are
 * written once, the incident reaches {@code cpr.incidents} through the outbox, and the points in time and the segment
 * listing a restore reads stop before the break; a newer verified snapshot past it resolves the incident (V9), once.
 * The segments' revisions are committed to the sandbox cluster and written through the store and the catalog port, so
 * the drill's replay matches the cluster's keyspace hash; their recording by the recorder, and a truncated segment, are
 * {@code ChainDrillOnEtcdTest}.
 */
@QuarkusTest
class ChainDrillCatalogTest {

    private static final String CLUSTER = BackupWorld.LEGACY;

    @Inject
    ChangeLogCatalog changeLog;
    @Inject
    ArtifactStore store;
    @Inject
    ChainDrills drills;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @BeforeEach
    @AfterEach
    void startFromAnEmptyLog() {
        // other classes record their own segments of this cluster in the same catalog
        changeLog.forget(CLUSTER);
    }

    @Test
    void aBitFlippedSegmentIsMarkedOnceOpensOneIncidentCutsThePointsInTimeAndResolvesPastANewerSnapshot()
            throws Exception {
        // given a verified snapshot at r and three segments r+1..r+2, r+3..r+4, r+5..r+6 after it
        JsonPath snapshot = verifiedSnapshot();
        assertThat(snapshot.getString("status")).isEqualTo("verified");
        long r = snapshot.getLong("revision");
        keep(r + 1);
        String victim = keep(r + 3);
        keep(r + 5);
        ChainDrills.Result before = drills.drill(CLUSTER);
        assertThat(before.verdict()).as(before.detail()).isEqualTo(ChainDrills.Verdict.INTACT);
        assertThat(before.detail()).as("replayed, hash compared").contains("equal to the source's");
        Path file = store.localPath(victim).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 0x10;
        Files.write(file, bytes);
        // when drilled twice
        ChainDrills.Result first = drills.drill(CLUSTER);
        ChainDrills.Result again = drills.drill(CLUSTER);
        // then it is marked once, from the victim's first revision
        assertThat(first.verdict()).isEqualTo(ChainDrills.Verdict.BROKEN);
        assertThat(first.newlyMarked()).isTrue();
        assertThat(again.newlyMarked()).isFalse();
        assertThat(changeLog.broken(CLUSTER)).singleElement()
                .satisfies(b -> assertThat(b.fromRevision()).isEqualTo(r + 3))
                .satisfies(b -> assertThat(b.toRevision()).isEqualTo(r + 4));
        // and the points in time and the listing a restore reads stop before it
        Map<String, Object> point = given().when().get("/api/v1/changelog/" + CLUSTER + "/points-in-time")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(p -> snapshot.getString("backupId").equals(p.get("backupId"))).findFirst().orElseThrow();
        assertThat(((Number) point.get("coveredTo")).longValue()).isEqualTo(r + 2);
        assertThat((List<?>) point.get("breaks")).singleElement().asString()
                .startsWith("not restorable from revision " + (r + 3) + " (to " + (r + 4) + "): ")
                .contains("is corrupt");
        List<Integer> listed = given().when().get("/api/v1/changelog/" + CLUSTER + "/segments?after=" + r)
                .then().statusCode(200).extract().jsonPath().getList("lastRevision", Integer.class);
        assertThat(listed).containsExactly((int) (r + 2));
        // and its incident reached cpr.incidents once
        String incidentId = "changelog-broken-" + CLUSTER + "-" + (r + 3);
        List<IncidentOpened> opened = incidents(incidentId, EventTypes.INCIDENT_OPENED, IncidentOpened.class);
        assertThat(opened).singleElement().satisfies(incident -> {
            assertThat(incident.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN);
            assertThat(incident.summary()).contains("not restorable from revision " + (r + 3));
        });

        // when a newer snapshot, past the break, is verified and the chain drilled twice
        JsonPath newer = verifiedSnapshot();
        assertThat(newer.getLong("revision")).isGreaterThanOrEqualTo(r + 4);
        drills.drill(CLUSTER);
        drills.drill(CLUSTER);
        // then the incident is resolved once (V9), the mark stays for the older snapshot only
        assertThat(changeLog.openBreaks(CLUSTER)).isEmpty();
        assertThat(changeLog.broken(CLUSTER)).hasSize(1);
        assertThat(incidents(incidentId, EventTypes.INCIDENT_RESOLVED, IncidentResolved.class)).singleElement()
                .satisfies(resolved -> assertThat(resolved.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN));
        Map<String, Object> newerPoint = given().when().get("/api/v1/changelog/" + CLUSTER + "/points-in-time")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(p -> newer.getString("backupId").equals(p.get("backupId"))).findFirst().orElseThrow();
        assertThat((List<?>) newerPoint.get("breaks")).isEmpty();
    }

    /**
     * A new snapshot of the cluster, verified. On a busy machine its drill's scratch etcd may lose its port to another
     * process; the drill is then inconclusive and the snapshot stays completed, so it is drilled again over REST.
     */
    private static JsonPath verifiedSnapshot() {
        String id = Backups.trigger(CLUSTER, null);
        try {
            return Backups.awaitSettled(id);
        } catch (ConditionTimeoutException inconclusive) {
            return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                given().when().post("/api/v1/backups/" + id + "/verify").then().statusCode(200);
                return Backups.get(id);
            }, json -> "verified".equals(json.getString("status")));
        }
    }

    /**
     * Commits two revisions from {@code first} to the sandbox cluster and stores and catalogs their segment (as the
     * recorder would: the drill replays it and compares the keyspace hash with the cluster's); returns its location.
     */
    private String keep(long first) throws Exception {
        Instant t = Instant.now();
        List<Change> changes = List.of(
                Change.put(first, bytes("/drilled/" + first), bytes("a"), 0, first, 1, t),
                Change.put(first + 1, bytes("/drilled/" + (first + 1)), bytes("b"), 0, first + 1, 1, t));
        for (Change change : changes) {
            long at = BackupWorld.legacy().client().getKVClient().put(ByteSequence.from(change.key()),
                    ByteSequence.from(change.value())).get(10, TimeUnit.SECONDS).getHeader().getRevision();
            assertThat(at).as("the sandbox cluster's revision of " + change.keyText()).isEqualTo(change.revision());
        }
        SegmentCodec.Encoded encoded = SegmentCodec.encode(CLUSTER, changes, t, t);
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin(CLUSTER, encoded.segment().fileName())) {
            try (OutputStream out = pending.output()) {
                out.write(encoded.bytes());
            }
            location = pending.commit();
        }
        changeLog.recorded(encoded.segment(), location, encoded.bytes().length);
        return location;
    }

    /** Reads cpr.incidents until an event of this type for the incident is there, then once more: every one seen. */
    private static <T> List<T> incidents(String incidentId, String type, Class<T> data) {
        List<T> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "chain-drill-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.INCIDENTS));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                read(consumer, incidentId, type, data, seen);
                return !seen.isEmpty();
            });
            read(consumer, incidentId, type, data, seen);
        }
        return seen;
    }

    private static <T> void read(KafkaConsumer<String, String> consumer, String incidentId, String type,
            Class<T> data, List<T> seen) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            CloudEvent event = EventCodec.decode(record.value());
            if (type.equals(event.type()) && incidentId.equals(EventCodec.data(event, Map.class).get("incidentId"))) {
                seen.add(EventCodec.data(event, data));
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
