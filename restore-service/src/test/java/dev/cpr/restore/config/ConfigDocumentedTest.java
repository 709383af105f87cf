package dev.cpr.restore.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.platform.outbox.OutboxConfig;
import dev.cpr.platform.replica.ReplicaConfig;
import dev.cpr.platform.security.AuthConfig;
import dev.cpr.sandbox.testing.ConfigMappingDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every {@code cpr.*} setting of restore-service (its own {@code @ConfigMapping}s and the platform's) is in its README. */
class ConfigDocumentedTest {

    @Test
    void everyCprSettingIsDocumentedInTheReadmeWithItsDefault() {
        var properties = ConfigMappingDocs.properties(RestoreConfig.class, AuthConfig.class, OutboxConfig.class,
                ReplicaConfig.class);

        assertThat(properties).containsKeys("cpr.restore.snapshot-dir", "cpr.auth.tokens", "cpr.inventory.path");
        assertThat(ConfigMappingDocs.undocumented(Path.of("README.md"), properties.values())).isEmpty();
    }
}
