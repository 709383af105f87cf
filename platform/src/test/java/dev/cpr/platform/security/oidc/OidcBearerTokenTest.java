package dev.cpr.platform.security.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REST rules with an OIDC provider configured: its tokens carry the same roles as the static ones. */
@QuarkusTest
@WithTestResource(TestIssuerResource.class)
class OidcBearerTokenTest {

    @Test
    void anOperatorsOidcTokenTriggersUnderTheirOwnName() {
        String token = TestIssuerResource.issuer.token("oncall", List.of("operator"));

        given().auth().oauth2(token).when().post("/api/v1/probe")
                .then().statusCode(200).body(equalTo("triggered by oidc:oncall"));
    }

    @Test
    void aViewersOidcTokenReadsButMayNotTrigger() {
        String token = TestIssuerResource.issuer.token("reader", List.of("viewer"));

        given().auth().oauth2(token).when().get("/api/v1/probe").then().statusCode(200)
                .body(equalTo("read by oidc:reader"));
        given().auth().oauth2(token).when().post("/api/v1/probe").then().statusCode(403);
    }

    @Test
    void aForgedOidcTokenIsRefusedWith401() {
        String forged = TestIssuerResource.issuer.tokenSignedByAStranger("mallory", List.of("admin"));

        given().auth().oauth2(forged).when().post("/api/v1/probe")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("the OIDC access token is refused"));
    }

    @Test
    void theStaticTokensStillWorkBesideTheProvider() {
        given().auth().oauth2("operator-token-123").when().post("/api/v1/probe")
                .then().statusCode(200).body(equalTo("triggered by ops-oncall"));
        given().auth().oauth2("not-a-known-token").when().get("/api/v1/probe")
                .then().statusCode(401).body("detail", equalTo("unknown bearer token"));
    }
}
