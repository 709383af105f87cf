package dev.cpr.backup.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackupApiErrorsTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Test
    void anUnknownClusterIsABadRequestNamingTheKnownOnes() {
        given().contentType(ContentType.JSON).body("{\"cluster\":\"nope\"}")
                .when().post("/api/v1/backups")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString("unknown cluster 'nope'"))
                .body("detail", containsString("sandbox"));
    }

    @Test
    void aBodyThatIsNotJsonOrLacksTheClusterIsABadRequest() {
        given().contentType(ContentType.JSON).body("{not json")
                .when().post("/api/v1/backups")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/backups")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'cluster' is required"));
        given().contentType(ContentType.JSON).body("{\"cluster\":\"sandbox\",\"compression\":\"zip\"}")
                .when().post("/api/v1/backups")
                .then().statusCode(400).body("detail", containsString("unknown compression"));
    }

    @Test
    void anUnknownStatusFilterOrBackupIsRefused() {
        given().when().get("/api/v1/backups?status=great")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("in-progress"));
        given().when().get("/api/v1/backups/7d8a1c2e-0000-4000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json");
        given().when().post("/api/v1/backups/not-an-id/verify")
                .then().statusCode(404);
    }

    @Test
    void swaggerUiIsServedWhereTheReadmeSaysAndIsPartOfEveryBuild() {
        io.restassured.RestAssured.given().auth().none().redirects().follow(true).get("/q/swagger-ui/")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"))
                .body(org.hamcrest.Matchers.containsString("swagger-ui"));
        // not only in dev and test: a prod build keeps it only with this build-time setting
        org.assertj.core.api.Assertions.assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.swagger-ui.always-include", Boolean.class)).contains(true);
    }

    @Test
    void aNulByteInAQueryOrPathParameterIsA400NamingItNotADatabaseError() {
        given().urlEncodingEnabled(false).when().get("/api/v1/backups?incident=inc%00")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'incident'"))
                .body("detail", containsString("U+0000"));
        given().urlEncodingEnabled(false).when().get("/api/v1/backups/%00")
                .then().statusCode(400).body("title", equalTo("Bad request parameter 'id'"));
        given().when().get("/api/v1/backups?cluster=Not_A_Cluster")
                .then().statusCode(400).body("title", equalTo("Bad request parameter 'cluster'"));
    }

    @Test
    void withoutATokenTheApiAnswers401AndAViewerMayReadButNotTrigger() {
        given().auth().none().when().get("/api/v1/backups")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate",
                        containsString("Bearer"));
        given().auth().oauth2("not-a-configured-token").when().get("/api/v1/backups").then().statusCode(401);

        given().auth().oauth2(Backups.VIEWER).when().get("/api/v1/backups?cluster=sandbox").then().statusCode(200);
        given().auth().oauth2(Backups.VIEWER).contentType(ContentType.JSON).body("{\"cluster\":\"sandbox\"}")
                .when().post("/api/v1/backups")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(Backups.VIEWER).when().delete("/api/v1/backups/7d8a1c2e-0000-4000-8000-000000000000")
                .then().statusCode(403);
    }
}
