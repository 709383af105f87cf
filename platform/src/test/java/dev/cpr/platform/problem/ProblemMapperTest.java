package dev.cpr.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemMapperTest {

    @Test
    void aRefusalKeepsItsStatusAndNamesWhatIsWrong() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/refused")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad request parameter 'cluster'"))
                .body("detail", equalTo("no cluster named 'nope' in the inventory"))
                .body("status", equalTo(400));
    }

    @Test
    void anUnknownPathIsA404Problem() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/nothing-here")
                .then().statusCode(404);
    }

    @Test
    void aBugIsA500ProblemNotAStackTrace() {
        given().auth().oauth2("viewer-token-123").when().get("/api/v1/probe/broken")
                .then().statusCode(500).contentType("application/problem+json")
                .body("title", equalTo("Internal Server Error"));
    }
}
