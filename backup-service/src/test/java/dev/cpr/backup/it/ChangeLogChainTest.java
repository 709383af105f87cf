package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change log served for a point-in-time restore: segments of a revision range, one segment's stored bytes and
 * the revision at a moment, over REST, from segments stored in the real artifact store and cataloged in the real
 * PostgreSQL. Cluster {@code sandbox}, revisions 10,001..10,008 in three segments (other tests record none for it):
 * <pre>
 *   10001..10003  seen at T0+0s, +1s, +2s
 *   10004..10006  seen at T0+10s, +11s (two keys in one transaction), +12s
 *   10007..10008  seen at T0+20s, +21s
 * </pre>
 */
@QuarkusTest
class ChangeLogChainTest {

    private static final String CLUSTER = "sandbox";
    private static final Instant T0 = Instant.parse("2026-12-03T05:00:00Z");
    private static final List<SegmentCodec.Encoded> STORED = new ArrayList<>();

    @Inject
    ChangeLogCatalog changeLog;

    @Inject
    ArtifactStore store;

    @BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @BeforeEach
    void storeTheChainOnce() throws Exception {
        synchronized (STORED) {
            if (!STORED.isEmpty()) {
                return;
            }
            store(List.of(put(10_001, "/a", 0), put(10_002, "/b", 1), delete(10_003, "/a", 2)));
            store(List.of(put(10_004, "/c", 10), put(10_005, "/d", 11), put(10_005, "/e", 11), put(10_006, "/f", 12)));
            store(List.of(put(10_007, "/g", 20), delete(10_008, "/b", 21)));
        }
    }

    @Test
    void theSegmentsOfARevisionRangeAreListedInOrderWithTheirCountsSha256AndTimes() {
        // when a restore from a snapshot at 10,003 asks for everything up to 10,007
        List<Map<String, Object>> segments = given().when()
                .get("/api/v1/changelog/sandbox/segments?after=10003&upTo=10007")
                .then().statusCode(200).extract().jsonPath().getList("$");
        // then
        assertThat(segments).extracting(s -> ((Number) s.get("id")).longValue()).containsExactly(10_004L, 10_007L);
        Map<String, Object> middle = segments.get(0);
        assertThat(((Number) middle.get("firstRevision")).longValue()).isEqualTo(10_004);
        assertThat(((Number) middle.get("lastRevision")).longValue()).isEqualTo(10_006);
        assertThat(middle.get("count")).isEqualTo(4);
        assertThat(middle.get("sha256")).isEqualTo(STORED.get(1).segment().sha256());
        assertThat(middle.get("openedAt")).isEqualTo(T0.plusSeconds(10).toString());
        assertThat(middle.get("lastChangeAt")).isEqualTo(T0.plusSeconds(12).toString());
        // and a range inside one segment lists only it
        assertThat(given().when().get("/api/v1/changelog/sandbox/segments?after=10004&upTo=10005")
                .then().statusCode(200).extract().jsonPath().getList("id", Long.class)).containsExactly(10_004L);
    }

    @Test
    void aSegmentsStoredBytesAreServedWithTheCatalogsSha256AndDecodeToItsChanges() throws Exception {
        // when
        Response response = given().when().get("/api/v1/changelog/sandbox/segments/10004")
                .then().statusCode(200).contentType("application/octet-stream").extract().response();
        // then
        byte[] bytes = response.asByteArray();
        assertThat(bytes).isEqualTo(STORED.get(1).bytes());
        assertThat(response.header("X-Cpr-Sha256")).isEqualTo(STORED.get(1).segment().sha256());
        assertThat(response.header("X-Cpr-Last-Revision")).isEqualTo("10006");
        assertThat(SegmentCodec.decode(bytes, response.header("X-Cpr-Sha256")).changes())
                .extracting(Change::keyText).containsExactly("/c", "/d", "/e", "/f");
    }

    @Test
    void theRevisionAtATimeIsTheNewestWhoseChangeWasSeenByThen() {
        // inside a segment: read from the changes' own times
        assertThat(revisionAt(T0.plusMillis(11_500))).isEqualTo(10_005);
        assertThat(revisionAt(T0.plusSeconds(11))).isEqualTo(10_005);
        assertThat(revisionAt(T0.plusMillis(10_999))).isEqualTo(10_004);
        // between segments: the last change of the one before
        assertThat(revisionAt(T0.plusSeconds(15))).isEqualTo(10_006);
        // after every change: the last one recorded
        assertThat(revisionAt(T0.plusSeconds(3_600))).isEqualTo(10_008);
        // and the answer says when that change was seen, in which segment
        given().when().get("/api/v1/changelog/sandbox/revision-at?time=" + T0.plusMillis(11_500))
                .then().statusCode(200)
                .body("changedAt", equalTo(T0.plusSeconds(11).toString())).body("segmentId", equalTo(10_004));
    }

    @Test
    void aTimeBeforeTheFirstChangeIsNotFound() {
        given().when().get("/api/v1/changelog/sandbox/revision-at?time=" + T0.minusSeconds(1))
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("holds no change seen at or before " + T0.minusSeconds(1)));
    }

    @Test
    void badRangesAndTimesAreProblemsNamingTheParameter() {
        badParameter("/api/v1/changelog/sandbox/segments?after=-1", "after", "after must be a revision (0 or more)");
        badParameter("/api/v1/changelog/sandbox/segments?after=10005&upTo=10004", "upTo",
                "the range 10005..10004 holds no revision");
        badParameter("/api/v1/changelog/sandbox/segments?after=ten", "after", "was 'ten'");
        badParameter("/api/v1/changelog/sandbox/segments/x7", "id", "a whole number");
        badParameter("/api/v1/changelog/sandbox/revision-at?time=yesterday", "time", "was 'yesterday'");
        badParameter("/api/v1/changelog/sandbox/revision-at", "time", "time is required");
    }

    @Test
    void anUnknownSegmentOrClusterIsNotFound() {
        given().when().get("/api/v1/changelog/sandbox/segments/10005")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("has no segment 10005"));
        given().when().get("/api/v1/changelog/nope/segments")
                .then().statusCode(404).body("detail", containsString("no cluster 'nope'"));
        given().when().get("/api/v1/changelog/nope/revision-at?time=" + T0)
                .then().statusCode(404).body("detail", containsString("no cluster 'nope'"));
    }

    private static long revisionAt(Instant time) {
        return given().when().get("/api/v1/changelog/sandbox/revision-at?time=" + time)
                .then().statusCode(200).extract().jsonPath().getLong("revision");
    }

    private static void badParameter(String url, String parameter, String detail) {
        given().when().get(url)
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter '" + parameter + "'"))
                .body("detail", containsString(detail));
    }

    private void store(List<Change> changes) throws Exception {
        Instant opened = changes.get(0).seenAt();
        SegmentCodec.Encoded encoded = SegmentCodec.encode(CLUSTER, changes, opened, opened.plusSeconds(1));
        String location;
        try (ArtifactStore.PendingArtifact pending = store.begin(CLUSTER, encoded.segment().fileName())) {
            try (OutputStream out = pending.output()) {
                out.write(encoded.bytes());
            }
            location = pending.commit();
        }
        changeLog.recorded(encoded.segment(), location, encoded.bytes().length);
        STORED.add(encoded);
    }

    private static Change put(long revision, String key, int second) {
        return Change.put(revision, bytes(key), bytes("value of " + key), 0, revision, 1, T0.plusSeconds(second));
    }

    private static Change delete(long revision, String key, int second) {
        return Change.delete(revision, bytes(key), T0.plusSeconds(second));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
