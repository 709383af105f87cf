package dev.cpr.console.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SSO login's redirect base is read from {@code CPR_CONSOLE_PUBLIC_URL}, the name the docs and the deploy files
 * give it (the key's own variable would be {@code CPR_CONSOLE_OIDC_PUBLIC_URL}). Set here as a config value, which the
 * expression in application.properties looks up exactly as it looks up the environment variable.
 */
@QuarkusTest
@TestProfile(ConsolePublicUrlTest.BehindAProxy.class)
class ConsolePublicUrlTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("CPR_CONSOLE_PUBLIC_URL", "https://cpr.example.com");
        }
    }

    @Inject
    ConsoleConfig config;

    @Test
    void thePublicUrlComesFromCprConsolePublicUrl() {
        assertThat(config.oidc().publicUrl()).contains(URI.create("https://cpr.example.com"));
    }
}
