package dev.cpr.sandbox.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./cpr up} never hangs on a world that does not come up (issue 11, item 4). */
class CprUpTest {

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    @Test
    void aLauncherThatDiesAtStartMakesUpExitNonZeroWithTheCauseAndTheLogPath() throws Exception {
        CprHome home = new CprHome(TestDirs.fresh("cpr-up-dies"));
        // given: the world's launcher fails as it did on a taken Kafka port, and exits
        List<String> dying = List.of("sh", "-c",
                "echo 'cpr: serve failed: Kafka could not bind 127.0.0.1:40001: Address already in use' >&2; exit 1");
        long t0 = System.nanoTime();

        // when
        int exit = Cpr.up(home, dying, Duration.ofMinutes(4), err);

        // then: at once, not after the 4 minutes
        assertThat(exit).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("its launcher exited with code 1")
                .contains("Kafka could not bind 127.0.0.1:40001: Address already in use")
                .contains("cpr: log: " + home.logDir().resolve("cpr-up.log"));
    }

    @Test
    void aLauncherThatNeverComesUpIsStoppedWithItsChildrenAtTheDeadline() throws Exception {
        CprHome home = new CprHome(TestDirs.fresh("cpr-up-stuck"));
        Path childPid = home.root().resolve("child.pid");
        // given: a launcher that starts a child (as it starts etcd and Kafka) and never writes sandbox.json
        List<String> stuck = List.of("sh", "-c", "sleep 300 & echo $! > " + childPid + "; echo starting; wait");

        int exit = Cpr.up(home, stuck, Duration.ofSeconds(2), err);

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("did not come up within 2 s; stopped what it had started")
                .contains("starting")
                .contains("cpr: log: " + home.logDir().resolve("cpr-up.log"));
        long child = Long.parseLong(Files.readString(childPid).trim());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aDemoThatCannotStartItsWorldSaysWhyAndWhereTheLogsAre() {
        CprHome home = new CprHome(Path.of("/checkout"));

        String message = Cpr.failure("demo", new IllegalStateException(
                "health-monitor exited during start-up (code 1), log /checkout/.cpr/demo/logs/health-monitor.log"), home);

        assertThat(message).startsWith("cpr: demo failed: health-monitor exited during start-up (code 1)")
                .contains("cpr: logs: /checkout/.cpr/demo/logs");
    }
}
