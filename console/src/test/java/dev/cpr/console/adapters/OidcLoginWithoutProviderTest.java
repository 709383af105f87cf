package dev.cpr.console.adapters;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The SSO login's refusals that need no provider (the whole flow against a real Keycloak is in e2e's
 * ConsoleOidcLoginIT): this console has no OIDC provider configured.
 */
@QuarkusTest
class OidcLoginWithoutProviderTest {

    @Test
    void withoutAProviderTheLoginPageOffersOnlyTheTokenAndTheSsoPathSaysWhy() {
        given().get("/login").then().statusCode(200).body(not(containsString("login-sso")));
        given().redirects().follow(false).get("/login/oidc").then().statusCode(404)
                .body(containsString("no OIDC provider is configured"));
    }

    @Test
    void aReturnFromTheProviderThatThisBrowserDidNotBeginIsRefused() {
        given().queryParam("code", "stolen-code").queryParam("state", "attackers-state")
                .cookie("cpr_login_attempt", "another-state.verifier")
                .get("/login/oidc/callback").then().statusCode(401)
                .body(containsString("this login was not begun here"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().queryParam("code", "stolen-code").queryParam("state", "attackers-state")
                .get("/login/oidc/callback").then().statusCode(401);
    }

    @Test
    void theProvidersRefusalIsShownAsItGaveIt() {
        given().queryParam("error", "access_denied").queryParam("error_description", "user cancelled")
                .get("/login/oidc/callback").then().statusCode(401)
                .body(containsString("the OIDC provider did not log you in: access_denied (user cancelled)"));
    }
}
