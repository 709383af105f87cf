package dev.cpr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetTest {

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    private Target resolve(String url, String token, String context, Path checkout) {
        return Target.resolve(url, token, context, env::get, home, checkout);
    }

    private void config(String yaml) throws IOException {
        Path file = home.resolve(".config/cpr/config.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
    }

    @Test
    void flagsWinOverTheEnvironmentAndTheEnvironmentOverTheConfigFile() throws IOException {
        config("current-context: prod\ncontexts:\n  prod: {url: https://prod.example, token: from-file-123456}\n");
        env.put("CPR_CONSOLE_URL", "http://env.example/");
        env.put("CPR_TOKEN", "from-env-1234567");

        assertThat(resolve("http://flag.example", "from-flag-123456", null, null))
                .isEqualTo(new Target("http://flag.example", "from-flag-123456", "--console"));
        assertThat(resolve(null, null, null, null))
                .isEqualTo(new Target("http://env.example", "from-env-1234567", "CPR_CONSOLE_URL"));
    }

    @Test
    void theCurrentContextOrTheNamedOneGivesTheAddressAndItsTokenFromAVariableOrAFile() throws IOException {
        Files.writeString(home.resolve("staging.token"), "from-token-file-1\n");
        config("""
                current-context: prod
                contexts:
                  prod: {url: https://prod.example, token-env: PROD_TOKEN}
                  staging: {url: https://staging.example, token-file: ~/staging.token}
                """);
        env.put("PROD_TOKEN", "prod-token-12345");

        assertThat(resolve(null, null, null, null).url()).isEqualTo("https://prod.example");
        assertThat(resolve(null, null, null, null).token()).isEqualTo("prod-token-12345");
        env.put("CPR_CONTEXT", "staging");
        assertThat(resolve(null, null, null, null).token()).isEqualTo("from-token-file-1");
        assertThat(resolve(null, null, "prod", null).url()).isEqualTo("https://prod.example");
    }

    @Test
    void anUnknownContextIsAUsageErrorNamingTheOnesThereAre() throws IOException {
        config("contexts:\n  prod: {url: https://prod.example}\n  dev: {url: http://localhost:8080}\n");

        assertThatThrownBy(() -> resolve(null, null, "qa", null))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no context 'qa'").hasMessageContaining("prod, dev");
    }

    @Test
    void aTokenVariableThatIsNotSetIsNamed() throws IOException {
        config("current-context: prod\ncontexts:\n  prod: {url: https://prod.example, token-env: PROD_TOKEN}\n");

        assertThatThrownBy(() -> resolve(null, null, null, null)).hasMessageContaining("PROD_TOKEN, which is not set");
    }

    @Test
    void withoutAnythingElseTheRunningSandboxWorldsConsoleAndOperatorTokenArePickedUp() throws IOException {
        Path checkout = home.resolve("checkout");
        Files.createDirectories(checkout.resolve(".cpr"));
        Files.writeString(checkout.resolve(".cpr/sandbox.json"), """
                {"services": {"console": {"url": "http://127.0.0.1:8080"}},
                 "tokens": {"viewer": "cpr-viewer-1", "operator": "cpr-operator-1"}}
                """);

        Target target = resolve(null, null, null, checkout);

        assertThat(target.url()).isEqualTo("http://127.0.0.1:8080");
        assertThat(target.token()).isEqualTo("cpr-operator-1");
    }

    @Test
    void nothingToTalkToIsAUsageErrorSayingWhatToSet() {
        assertThatThrownBy(() -> resolve(null, null, null, home))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("CPR_CONSOLE_URL").hasMessageContaining("./cpr up");
    }
}
