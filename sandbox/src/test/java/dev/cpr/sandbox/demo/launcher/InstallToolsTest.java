package dev.cpr.sandbox.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.TestDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code .ci/install-tools}, which {@code ./cpr} and {@code .ci/run} share (issue 12, item 5), on a "fresh
 * machine": a PATH holding only the few commands the script itself uses, plus fakes of {@code id},
 * {@code apt-get} and {@code apt-cache} where a case needs them. The list it reads is a fixed one of the test's own
 * (the format of {@code .ci/tools}), so a tool added to the project's list changes nothing here.
 */
class InstallToolsTest {

    private static final Path SCRIPT = CprHome.locate().root().resolve(".ci/install-tools");

    private final Path bin = TestDirs.fresh("install-tools").resolve("bin");

    @Test
    void withoutAptGetItSaysExactlyWhatToInstallAndFails() throws Exception {
        givenAFreshMachine();

        Run run = run("demo");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.stderr)
                .contains("cpr: java etcd etcdctl not found, and this machine has no apt-get to install them with")
                .contains("sudo apt-get install -y default-jdk-headless etcd-server etcd-client")
                .doesNotContain("ansible-core"); // the demo does not need it
    }

    @Test
    void asRootItInstallsTheMissingPackagesSayingWhatAndFromWhere() throws Exception {
        givenAFreshMachine();
        fake("id", "echo 0");
        fake("apt-cache", """
                echo "$2:"
                echo "  Candidate: 3.4.23-4+b4"
                echo "  Version table:"
                echo "     3.4.23-4+b4 500"
                echo "        500 http://deb.debian.org/debian bookworm/main amd64 Packages"
                """);
        fake("apt-get", """
                echo "apt-get $*" >> "%1$s/apt-get.calls"
                case "$1" in install) for tool in java etcd etcdctl ansible-playbook; do
                    printf '#!/bin/sh\\n' > "%1$s/$tool"; chmod +x "%1$s/$tool"; done ;; esac
                """.formatted(bin));

        Run run = run("ci");

        assertThat(run.exit).as(run.stderr).isEqualTo(0);
        assertThat(run.stderr)
                .contains("java etcd etcdctl ansible-playbook not found: installing default-jdk-headless etcd-server "
                        + "etcd-client ansible-core with apt-get")
                .contains("etcd-server 3.4.23-4+b4 from http://deb.debian.org/debian bookworm/main")
                .contains("installed default-jdk-headless etcd-server etcd-client ansible-core");
        assertThat(Files.readString(bin.resolve("apt-get.calls"))).contains("apt-get update")
                .contains("default-jdk-headless etcd-server etcd-client ansible-core");
    }

    @Test
    void neitherRootNorSudoItSaysWhatToInstallAndFails() throws Exception {
        givenAFreshMachine();
        fake("id", "echo 1000");
        fake("apt-get", "echo 'must not be called' >&2; exit 3");

        Run run = run("demo");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.stderr).contains("installing them needs root or password-less sudo")
                .contains("sudo apt-get install -y default-jdk-headless etcd-server etcd-client")
                .doesNotContain("must not be called");
    }

    @Test
    void onAMachineThatHasEverythingItDoesNothing() throws Exception {
        givenAFreshMachine();
        for (String tool : List.of("java", "etcd", "etcdctl", "ansible-playbook")) {
            fake(tool, "exit 0");
        }

        Run run = run("ci");

        assertThat(run.exit).isEqualTo(0);
        assertThat(run.stderr).isEmpty();
    }

    /** Only what the script runs besides the tools it looks for. */
    private void givenAFreshMachine() throws IOException {
        Files.createDirectories(bin);
        for (String command : List.of("bash", "dirname", "awk", "chmod", "env", "cat")) {
            Path real = List.of("/usr/bin", "/bin").stream().map(d -> Path.of(d, command)).filter(Files::isExecutable)
                    .findFirst().orElseThrow();
            Files.createSymbolicLink(bin.resolve(command), real);
        }
    }

    private void fake(String command, String body) throws IOException {
        Path file = bin.resolve(command);
        Files.writeString(file, "#!" + bin.resolve("bash") + "\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run run(String scope) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(bin.resolve("bash").toString(), SCRIPT.toString(), scope);
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("CPR_TOOLS_LIST", toolsList().toString());
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the script finished").isTrue();
        return new Run(process.exitValue(), stderr);
    }

    private Path toolsList() throws IOException {
        Path list = bin.resolveSibling("tools");
        Files.writeString(list, """
                # command         package                used by
                java              default-jdk-headless   demo
                etcd              etcd-server            demo
                etcdctl           etcd-client            demo
                ansible-playbook  ansible-core           ci
                """);
        return list;
    }

    private record Run(int exit, String stderr) {
    }
}
