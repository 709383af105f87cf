package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** REST helpers for the integration tests. */
final class Backups {

    /** The tokens of the test profile's cpr.auth.tokens. */
    static final String VIEWER = "bk-test-viewer-token";
    static final String OPERATOR = "bk-test-operator-token";

    private Backups() {
    }

    /** Every REST call of the test class that calls this (in @BeforeAll) carries the operator's token. */
    static void asOperator() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(OPERATOR);
    }

    static void reset() {
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.DEFAULT_AUTH;
    }

    /** POST /api/v1/backups; returns the new backup's id. */
    static String trigger(String cluster, String compression) {
        Map<String, String> body = compression == null ? Map.of("cluster", cluster)
                : Map.of("cluster", cluster, "compression", compression);
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/backups")
                .then().statusCode(202).extract().path("backupId");
    }

    static JsonPath get(String id) {
        return given().when().get("/api/v1/backups/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the backup reaches one of the final states and returns it. */
    static JsonPath awaitSettled(String id) {
        Set<String> settled = Set.of("verified", "corrupt", "failed");
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(id), json -> settled.contains(json.getString("status")));
    }

    static List<String> statusesOf(List<Map<String, Object>> events) {
        return events.stream().map(e -> String.valueOf(e.get("status"))).toList();
    }
}
