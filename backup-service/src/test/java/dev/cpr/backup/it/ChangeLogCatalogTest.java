package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change log's catalog tables in the real PostgreSQL (V6) and the points in time over REST. The recorder itself
 * is off in these tests ({@code cpr.changelog.enabled=false}): segments are recorded here through the catalog port,
 * after a real snapshot of the sandbox cluster was verified; the recording from etcd is {@code ChangeRecorderOnEtcdTest}.
 */
@QuarkusTest
class ChangeLogCatalogTest {

    @Inject
    ChangeLogCatalog changeLog;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Test
    void pointsInTimeNameTheRevisionsEachSnapshotsChainCoversAndItsGap() {
        // given a verified snapshot at revision r, segments r+1..r+10 and r+16..r+20 (r+11..r+15 lost)
        JsonPath snapshot = Backups.awaitSettled(Backups.trigger("legacy", null));
        assertThat(snapshot.getString("status")).isEqualTo("verified");
        long r = snapshot.getLong("revision");
        changeLog.recorded(segment("legacy", r + 1, r + 10), "legacy/a.cprlog", 100);
        changeLog.recorded(segment("legacy", r + 16, r + 20), "legacy/b.cprlog", 100);
        // when
        List<Map<String, Object>> points = given().when().get("/api/v1/changelog/legacy/points-in-time")
                .then().statusCode(200).extract().jsonPath().getList("$");
        // then
        Map<String, Object> point = points.stream()
                .filter(p -> snapshot.getString("backupId").equals(p.get("backupId"))).findFirst().orElseThrow();
        assertThat(((Number) point.get("revision")).longValue()).isEqualTo(r);
        assertThat(((Number) point.get("coveredTo")).longValue()).isEqualTo(r + 10);
        assertThat(point.get("segments")).isEqualTo(1);
        assertThat(point.get("breaks")).isEqualTo(List.of("gap: revisions " + (r + 11) + ".." + (r + 15)
                + " are missing after " + (r + 10)));
        assertThat(changeLog.lastDurableRevision("legacy")).hasValue(r + 20);
    }

    @Test
    void revisionsAlreadyDurableAreRefusedAndNothingOfThemIsRecorded() {
        // given
        changeLog.recorded(segment("pks", 1_000, 1_010), "pks/x.cprlog", 10);
        // when / then
        assertThatThrownBy(() -> changeLog.recorded(segment("pks", 1_005, 1_020), "pks/y.cprlog", 10))
                .hasMessageContaining("durable up to revision 1010 already");
        assertThat(changeLog.lastDurableRevision("pks")).hasValue(1_010);
        assertThat(changeLog.segments("pks")).extracting(s -> s.location()).containsExactly("pks/x.cprlog");
    }

    @Test
    void aForgottenChainLetsTheRestoredClusterRecordItsRevisionsAgainAndLeavesOtherClustersAlone() {
        // given a chain to 2010 on a cluster that etcd then restored to an older revision, and another cluster's chain
        changeLog.recorded(segment("restored", 2_000, 2_005), "restored/a.cprlog", 10);
        changeLog.recorded(segment("restored", 2_006, 2_010), "restored/b.cprlog", 10);
        changeLog.recorded(segment("untouched", 2_000, 2_005), "untouched/a.cprlog", 10);
        // when
        List<StoredSegment> forgotten = changeLog.forget("restored");
        // then the new history's revisions are recorded again, and the other chain is as it was
        assertThat(forgotten).extracting(StoredSegment::location)
                .containsExactly("restored/a.cprlog", "restored/b.cprlog");
        assertThat(changeLog.lastDurableRevision("restored")).isEmpty();
        changeLog.recorded(segment("restored", 2_003, 2_008), "restored/c.cprlog", 10);
        assertThat(changeLog.segments("restored")).extracting(s -> s.location()).containsExactly("restored/c.cprlog");
        assertThat(changeLog.lastDurableRevision("restored")).hasValue(2_008);
        assertThat(changeLog.lastDurableRevision("untouched")).hasValue(2_005);
    }

    @Test
    void removingSegmentsTakesExactlyTheirRowsAndLeavesTheRestOfTheChain() {
        // given three segments, the first two expired
        changeLog.recorded(segment("trimmed", 3_000, 3_009), "trimmed/a.cprlog", 10);
        changeLog.recorded(segment("trimmed", 3_010, 3_019), "trimmed/b.cprlog", 10);
        changeLog.recorded(segment("trimmed", 3_020, 3_029), "trimmed/c.cprlog", 10);
        List<StoredSegment> expired = changeLog.segments("trimmed", 0, 3_019);
        // when
        int removed = changeLog.remove("trimmed", expired);
        // then
        assertThat(removed).isEqualTo(2);
        assertThat(changeLog.segments("trimmed")).extracting(StoredSegment::location)
                .containsExactly("trimmed/c.cprlog");
        assertThat(changeLog.lastDurableRevision("trimmed")).as("the position is the log's end, not its start")
                .hasValue(3_029);
        assertThat(changeLog.remove("trimmed", expired)).as("removed twice: nothing").isZero();
    }

    @Test
    void theEtcdClusterIdAChainIsRecordedFromIsKeptWithItsPositionUntilTheChainIsForgotten() {
        // given a chain started from etcd cluster 0xfeedface00000001 (an unsigned 64-bit id), before its first segment
        long etcdClusterId = 0xfeedface00000001L;
        changeLog.recordingFrom("durable-id", etcdClusterId);
        assertThat(changeLog.etcdClusterId("durable-id")).hasValue(etcdClusterId);
        assertThat(changeLog.lastDurableRevision("durable-id")).as("no segment yet").isEmpty();
        // when its segments are recorded
        changeLog.recorded(segment("durable-id", 4_000, 4_010), "durable-id/a.cprlog", 10);
        // then the id stays beside the position
        assertThat(changeLog.lastDurableRevision("durable-id")).hasValue(4_010);
        assertThat(changeLog.etcdClusterId("durable-id")).hasValue(etcdClusterId);
        // and a forgotten chain forgets it too
        changeLog.forget("durable-id");
        assertThat(changeLog.etcdClusterId("durable-id")).isEmpty();
    }

    @Test
    void anOlderChainProvenByReplayIsRecordedOnceAndForgottenWithTheChain() {
        // given a chain from snapshot s0 to s1 proven by a drill, and the same proof written again by another replica
        Instant first = Instant.parse("2026-12-04T19:00:00Z");
        changeLog.proven(new ProvenChain("proven", "s0", "s1", first));
        changeLog.proven(new ProvenChain("proven", "s0", "s1", first.plusSeconds(60)));
        // then it is known as proven, and only that chain of that cluster is
        assertThat(changeLog.isProven("proven", "s0", "s1")).isTrue();
        assertThat(changeLog.isProven("proven", "s1", "s2")).isFalse();
        assertThat(changeLog.isProven("another", "s0", "s1")).isFalse();
        // and when etcd is restored and the cluster's log forgotten, the proof goes with it
        changeLog.forget("proven");
        assertThat(changeLog.isProven("proven", "s0", "s1")).isFalse();
    }

    @Test
    void anUnknownClusterIsAProblemNotFound() {
        given().when().get("/api/v1/changelog/nope/points-in-time")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", containsString("no cluster 'nope'"));
    }

    private static Segment segment(String cluster, long first, long last) {
        Instant t = Instant.parse("2026-12-03T04:00:00Z").plusSeconds(first);
        return new Segment(cluster, first, last, (int) (last - first + 1), "ab".repeat(32), t, t.plusSeconds(1), t);
    }
}
