package dev.cpr.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.testing.ConfigMappingDocs.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigMappingDocsTest {

    @Test
    void aPropertyCountsAsDocumentedOnlyByItsOwnNameAndWithItsDefaultOnTheLine() throws IOException {
        Path readme = Files.writeString(TestDirs.fresh("config-docs").resolve("README.md"), """
                | key | default | meaning |
                |---|---|---|
                | `cpr.x.poll-interval` | `2s` | how often |
                | `cpr.x.timeout-max` | `9s` | a longer name only |
                | `cpr.x.connect-timeout` / `.request-timeout` | `3s` / `10s` | bounds |
                | `cpr.x.bbr.binary` / `artifact-path` | `bbr` / `.cpr/bbr` | where |
                | `cpr.x.retries` | `3` | the default is not `5` here? it is |
                """);

        List<String> missing = ConfigMappingDocs.undocumented(readme, List.of(
                new Property("cpr.x.poll-interval", "2s"),
                new Property("cpr.x.timeout", "9s"),
                new Property("cpr.x.request-timeout", "10s"),
                new Property("cpr.x.bbr.artifact-path", ".cpr/bbr"),
                new Property("cpr.x.retries", "4"),
                new Property("cpr.x.token", null)));

        assertThat(missing).containsExactly(
                "cpr.x.timeout (not in README.md)",
                "cpr.x.retries (its default '4' is not on its line)",
                "cpr.x.token (not in README.md)");
    }
}
