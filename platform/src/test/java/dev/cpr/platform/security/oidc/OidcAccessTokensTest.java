package dev.cpr.platform.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.platform.security.Caller;
import dev.cpr.platform.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OidcAccessTokensTest {

    private final TestIssuer issuer = TestIssuer.start();
    private final OidcAccessTokens tokens = tokens("roles");

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Test
    void aTokenFromTheIssuerForCprNamesItsUserAndTheirHighestCprRole() {
        String token = issuer.token("oncall", List.of("offline_access", "viewer", "operator"));

        Caller caller = tokens.verify(token);

        assertThat(caller).isEqualTo(new Caller("oidc:oncall", Role.OPERATOR));
    }

    @Test
    void anExpiredTokenIsRefusedSayingSo() {
        String token = issuer.token(claims -> {
            claims.setStringListClaim("roles", List.of("admin"));
            claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 120));
        });

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessageContaining("Expiration Time");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = issuer.token(claims -> {
            claims.setAudience("grafana");
            claims.setStringListClaim("roles", List.of("admin"));
        });

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessageContaining("Audience");
    }

    @Test
    void aTokenSignedWithAKeyTheIssuerNeverPublishedIsRefused() {
        String forged = issuer.tokenSignedByAStranger("mallory", List.of("admin"));

        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessage("the OIDC access token is refused: Invalid JWS Signature")
                .as("the token itself is never repeated").hasMessageNotContaining(forged.substring(0, 20));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String token = issuer.token(claims -> {
            claims.setIssuer("https://elsewhere.example.com/realms/cpr");
            claims.setStringListClaim("roles", List.of("admin"));
        });

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessageContaining("Issuer");
    }

    @Test
    void aTokenNamingNoCprRoleIsRefusedNamingTheUserAndTheClaim() {
        String token = issuer.token("visitor", List.of("offline_access", "uma_authorization"));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidAccessTokenException.class)
                .hasMessage("the OIDC access token of visitor names no cpr role (viewer, operator or admin) in its"
                        + " 'roles' claim");
    }

    @Test
    void theRolesMayComeFromANestedClaim() {
        OidcAccessTokens nested = tokens("realm_access.roles");
        String token = issuer.token(claims -> {
            claims.setStringClaim("preferred_username", "lead");
            claims.setClaim("realm_access", Map.of("roles", List.of("admin", "default-roles-cpr")));
        });

        assertThat(nested.verify(token)).isEqualTo(new Caller("oidc:lead", Role.ADMIN));
    }

    @Test
    void theKeysAreFetchedOnceForManyTokens() {
        for (int i = 0; i < 5; i++) {
            tokens.verify(issuer.token("oncall", List.of("operator")));
        }

        assertThat(issuer.keySetReads()).isEqualTo(1);
    }

    @Test
    void aProviderThatNamesAnotherIssuerIsRefusedAndAskedAgainOnTheNextToken() {
        issuer.publishIssuer("http://127.0.0.1:1/realms/other");
        String token = issuer.token("oncall", List.of("operator"));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(OidcUnavailableException.class)
                .hasMessageContaining("names the issuer http://127.0.0.1:1/realms/other");

        issuer.publishIssuer(issuer.issuer().toString());
        assertThat(tokens.verify(token).role()).isEqualTo(Role.OPERATOR);
    }

    @Test
    void aProviderThatIsDownIsReportedAsUnavailable() {
        OidcAccessTokens unreachable = new OidcAccessTokens(URI.create("http://127.0.0.1:9/realms/cpr"), "cpr",
                "roles", new OidcDiscovery(HttpClient.newHttpClient()));

        assertThatThrownBy(() -> unreachable.verify(issuer.token("oncall", List.of("operator"))))
                .isInstanceOf(OidcUnavailableException.class).hasMessageContaining("did not answer");
    }

    @Test
    void onlyACompactJwtIsTakenForAnOidcToken() {
        assertThat(OidcAccessTokens.looksLikeJwt(issuer.token("oncall", List.of("operator")))).isTrue();
        assertThat(OidcAccessTokens.looksLikeJwt("operator-token-123")).isFalse();
    }

    private OidcAccessTokens tokens(String rolesClaim) {
        return new OidcAccessTokens(issuer.issuer(), "cpr", rolesClaim,
                new OidcDiscovery(HttpClient.newHttpClient()));
    }
}
