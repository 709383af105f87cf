package dev.cpr.bosh.bbr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with stand-in "bbr" scripts: exit codes, streamed lines, secrets in env, the tree kill. */
class BbrRunnerTest {

    @TempDir
    Path tmp;

    private Path script(String body) throws IOException {
        Path file = tmp.resolve("bbr");
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void theExitCodeIsDecodedAndEveryLineIsStreamedAndKept() throws IOException {
        Path bbr = script("""
                echo "[bbr] INFO - Starting backup of $3..."
                echo "secret is ${BOSH_CLIENT_SECRET:-unset}"
                echo "1 error occurred:" >&2
                exit 5""");
        List<String> seen = new CopyOnWriteArrayList<>();
        BbrRun run = new BbrRunner(bbr.toString(), Map.of(), Clock.systemUTC()).run("pks-1",
                List.of("deployment", "--deployment", "d1", "backup"), Map.of("BOSH_CLIENT_SECRET", "s3"),
                Duration.ofSeconds(20), seen::add);
        assertThat(run.subcommand()).isEqualTo("backup");
        assertThat(run.exit().code()).isEqualTo(5);
        assertThat(run.exit().general()).isTrue();
        assertThat(run.exit().lock()).isTrue();
        assertThat(run.timedOut()).isFalse();
        assertThat(run.output()).contains("secret is s3", "1 error occurred:");
        assertThat(seen).contains("[bbr] INFO - Starting backup of d1...");
    }

    @Test
    void pastItsTimeoutTheWholeProcessTreeIsKilled() throws IOException {
        Path pidFile = tmp.resolve("child.pid");
        Path bbr = script("""
                sleep 300 &
                echo $! > %s
                echo started
                wait""".formatted(pidFile));
        long start = System.nanoTime();
        BbrRun run = new BbrRunner(bbr.toString(), Map.of(), Clock.systemUTC()).run("pks-1", List.of("backup"),
                Map.of(), Duration.ofMillis(1500), line -> { });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(run.timedOut()).isTrue();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.describe()).contains("killed after its timeout");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("the script's child sleep was killed too").isFalse();
    }

    @Test
    void aBinaryThatCannotStartIsAFailedRunNotAnException() {
        BbrRun run = new BbrRunner(tmp.resolve("no-such-bbr").toString(), Map.of(), Clock.systemUTC())
                .run("pks-1", List.of("pre-backup-check"), Map.of(), Duration.ofSeconds(5), line -> { });
        assertThat(run.succeeded()).isFalse();
        assertThat(run.text()).contains("cannot start");
    }
}
