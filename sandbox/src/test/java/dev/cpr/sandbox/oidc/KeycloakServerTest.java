package dev.cpr.sandbox.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.sandbox.TestDirs;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's real Keycloak with the cpr realm: its issuer is the loopback address it was started on and its access
 * tokens carry what cpr reads (issuer, audience {@code cpr}, {@code roles}, {@code preferred_username}). One server for
 * the class: a start takes 15-40 s. Without Keycloak or a JDK 21+ the start fails, saying which (CI installs both).
 */
class KeycloakServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer keycloak;

    @BeforeAll
    static void start() {
        keycloak = KeycloakServer.start(TestDirs.fresh("keycloak"));
        System.out.println("[keycloak] " + keycloak.issuer() + " ready in " + keycloak.startedIn().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            ProcessHandle launcher = ProcessHandle.of(keycloak.describe().pid()).orElseThrow();
            List<ProcessHandle> tree = new ArrayList<>(launcher.descendants().toList());
            tree.add(launcher);
            keycloak.close();
            assertThat(tree).as("kc.sh and the java under it").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void theDiscoveryDocumentNamesTheLoopbackIssuer() throws Exception {
        // when the discovery document is read
        JsonNode discovery = keycloak.discovery();

        // then its issuer is the one the server says, on the loopback port it was started on
        assertThat(discovery.path("issuer").asText()).isEqualTo(keycloak.issuer())
                .matches("http://127\\.0\\.0\\.1:\\d+/realms/cpr");
        assertThat(discovery.path("token_endpoint").asText()).startsWith(keycloak.issuer());
    }

    @Test
    void anOperatorsAccessTokenCarriesWhatCprReads() throws Exception {
        // given the on-call user of the realm
        CprRealm.Login oncall = CprRealm.ONCALL;

        // when it gets a token by the password grant
        JsonNode claims = payload(keycloak.passwordGrant(oncall.username(), oncall.password()));

        // then the token names the issuer, the cpr audience, the user and its operator role
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(strings(claims.path("aud"))).contains(CprRealm.AUDIENCE);
        assertThat(strings(claims.path("roles"))).containsExactly("operator");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("oncall");
        assertThat(claims.path("azp").asText()).isEqualTo(keycloak.clientId());
    }

    @Test
    void everyUserOfTheRealmHasItsOneRole() throws Exception {
        for (CprRealm.Login login : CprRealm.LOGINS) {
            // when each user gets a token
            JsonNode claims = payload(keycloak.passwordGrant(login.username(), login.password()));

            // then it carries that user's role and no other
            assertThat(strings(claims.path("roles"))).as(login.username()).containsExactly(login.role());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        // given a password that is not the on-call user's
        String wrong = "not-" + CprRealm.ONCALL.password();

        // when it is given, then the token endpoint refuses it
        assertThatThrownBy(() -> keycloak.passwordGrant(CprRealm.ONCALL.username(), wrong))
                .isInstanceOfSatisfying(TokenRefusedException.class,
                        refused -> assertThat(refused.status()).isIn(400, 401));
    }

    /** A JWT's payload: its middle part, base64url without padding. */
    private static JsonNode payload(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("a signed JWT has three parts").hasSize(3);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    /** A claim that is a string or an array of strings (Keycloak writes a single audience as a string). */
    private static List<String> strings(JsonNode claim) {
        List<String> values = new ArrayList<>();
        if (claim.isArray()) {
            claim.forEach(value -> values.add(value.asText()));
        } else if (!claim.isMissingNode()) {
            values.add(claim.asText());
        }
        return values;
    }
}
