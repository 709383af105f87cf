package dev.cpr.platform.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BearerTokenAuthenticationTest {

    @Test
    void aCallWithoutATokenIsRefusedWith401ProblemAndABearerChallenge() {
        given().when().get("/api/v1/probe")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void anUnknownTokenIsRefusedWith401() {
        given().auth().oauth2("not-a-known-token").when().get("/api/v1/probe")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("unknown bearer token"));
    }

    @Test
    void aViewerReadsAndNamesItself() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe")
                .then().statusCode(200).body(equalTo("read by grafana"));
    }

    @Test
    void aViewerMayNotTriggerAnything() {
        given().auth().oauth2("viewer-token-123").when().post("/api/v1/probe")
                .then().statusCode(403).contentType("application/problem+json").body("title", equalTo("Forbidden"));
    }

    @Test
    void anOperatorTriggersAndAnAdminHoldsEveryLowerRole() {
        given().auth().oauth2("operator-token-123").when().post("/api/v1/probe")
                .then().statusCode(200).body(equalTo("triggered by ops-oncall"));
        given().auth().oauth2("admin-token-1234").when().post("/api/v1/probe")
                .then().statusCode(200).body(equalTo("triggered by platform-team"));
    }

    @Test
    void anEndpointThatNamesNoRoleStillNeedsAToken() {
        given().when().get("/api/v1/probe/unannotated").then().statusCode(401);
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/unannotated").then().statusCode(200);
    }

    @Test
    void anEndpointMarkedPermitAllIsOpen() {
        given().when().get("/api/v1/probe/open").then().statusCode(200);
    }

    @Test
    void healthStaysOpenForProbes() {
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
