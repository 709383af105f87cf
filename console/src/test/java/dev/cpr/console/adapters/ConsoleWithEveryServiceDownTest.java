package dev.cpr.console.adapters;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The console with none of the four services answering: it still answers, says which are down, and keeps its own
 * role checks (the services' own checks and the whole flow are proven against the real world in e2e).
 */
@QuarkusTest
class ConsoleWithEveryServiceDownTest {

    private static final String VIEWER = "viewer-token-0001";

    @Test
    void statusAnswersWithEveryServiceDownAndANoteForEachMissingPart() {
        given().auth().oauth2(VIEWER).get("/api/v1/status").then().statusCode(200)
                .body("services", hasSize(4))
                .body("services.up", everyItem(equalTo(false)))
                .body("services[0].detail", equalTo("connection refused"))
                .body("notes[0]", containsString("health-monitor is down"));
    }

    @Test
    void aReadOfADownServiceIsA503NamingIt() {
        given().auth().oauth2(VIEWER).get("/api/v1/incidents").then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("health-monitor is down (http://127.0.0.1:1)"));
    }

    @Test
    void noTokenIs401AndAViewerMayNotActEvenBeforeAServiceIsAsked() {
        given().get("/api/v1/plans").then().statusCode(401);
        given().auth().oauth2("not-a-known-token").get("/api/v1/plans").then().statusCode(401);
        given().auth().oauth2(VIEWER).post("/api/v1/plans/x/approve").then().statusCode(403)
                .contentType("application/problem+json");
        given().cookie("cpr_token", VIEWER).post("/ui/plans/x/approve").then().statusCode(403);
    }

    @Test
    void anUnknownActionOnAPlanIsA400NamingIt() {
        given().auth().oauth2("operator-token-01").post("/api/v1/plans/x/explode").then().statusCode(400)
                .body("title", containsString("'action'"));
    }

    @Test
    void pagesNeedALoginAndTheLoginRefusesAnUnknownToken() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", containsString("/login"));
        given().formParam("token", "nope-nope-nope").post("/login").then().statusCode(401)
                .body(containsString("unknown token"));
        given().redirects().follow(false).formParam("token", VIEWER).post("/login").then().statusCode(303)
                .header("Set-Cookie", containsString("HttpOnly")).header("Set-Cookie", containsString("SameSite=Strict"));
    }

    @Test
    void theOverviewPageShowsEveryServiceAsDown() {
        given().cookie("cpr_token", VIEWER).get("/").then().statusCode(200)
                .body(containsString("data-service=\"restore-service\" data-up=\"false\""))
                .body(containsString("data-stream=\"/ui/stream/overview\""));
    }

    @Test
    void theHistoryPageWithEveryServiceDownSaysThereIsNoHistoryYetAndWhyNotAnError() {
        given().cookie("cpr_token", VIEWER).get("/history").then().statusCode(200)
                .body(containsString("no recoveries yet"))
                .body(containsString("no backups yet"))
                .body(containsString("no plans: restore-service is down"))
                .body(containsString("data-stream=\"/ui/stream/history\""));
    }
}
