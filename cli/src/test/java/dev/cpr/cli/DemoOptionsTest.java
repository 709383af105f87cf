package dev.cpr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cpr demo}'s options reach the sandbox's launcher as it reads them (it runs nothing here). */
class DemoOptionsTest {

    private static SandboxVerbs.Demo parsed(String... args) {
        SandboxVerbs.Demo demo = new SandboxVerbs.Demo();
        new CommandLine(demo).parseArgs(args);
        return demo;
    }

    @Test
    void theEtcdReleaseAndPlainHttpArePassedOn() {
        assertThat(parsed("--etcd", "3.5", "--plain", "--scenario", "member-data-loss", "--json").launcherArgs())
                .containsExactly("--etcd", "3.5", "--plain", "--scenario", "member-data-loss", "--json");
    }

    @Test
    void aRepeatCountIsPassedOnForTheMedianOfSeveralRuns() {
        assertThat(parsed("--scenario", "member-crash", "--repeat", "5").launcherArgs())
                .containsExactly("--scenario", "member-crash", "--repeat", "5");
    }

    @Test
    void withoutOptionsTheLauncherGetsNoneAndKeepsItsDefaults() {
        assertThat(parsed().launcherArgs()).isEmpty();
    }

    @Test
    void anExplicitTlsIsPassedOnToo() {
        assertThat(parsed("--tls").launcherArgs()).containsExactly("--tls");
    }
}
