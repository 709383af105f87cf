package dev.cpr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's own behaviour, without a console: addresses nobody answers on, usage errors, tables. */
class CprCommandTest {

    @TempDir
    Path home;

    private int run(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
        CommandLine line = CprCommand.commandLine(new CprCommand(env::get, home, null, Duration.ofMillis(10)));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    @Test
    void anAddressNobodyListensOnGetsOneLineAndExitThree() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again at once: nothing listens there
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = run(Map.of("CPR_CONSOLE_URL", "http://127.0.0.1:" + port, "CPR_TOKEN", "x"), out, err, "plans");

        assertThat(exit).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString().lines()).containsExactly("cpr: cannot reach the console at http://127.0.0.1:" + port
                + " (from CPR_CONSOLE_URL): connection refused");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anAddressThatIsNotAUrlIsAUsageError() {
        StringWriter err = new StringWriter();

        int exit = run(Map.of("CPR_CONSOLE_URL", "not a url", "CPR_TOKEN", "x"), new StringWriter(), err, "status");

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("cpr: 'not a url' (CPR_CONSOLE_URL) is not a URL");
    }

    @Test
    void anUnknownVerbOrAMissingArgumentIsPicocliUsageExitTwo() {
        assertThat(run(Map.of(), new StringWriter(), new StringWriter(), "reboot-everything")).isEqualTo(2);
        assertThat(run(Map.of(), new StringWriter(), new StringWriter(), "recover", "prod")).isEqualTo(2);
    }

    @Test
    void bashCompletionIsGenerated() {
        StringWriter out = new StringWriter();

        assertThat(run(Map.of(), out, new StringWriter(), "generate-completion")).isZero();

        assertThat(out.toString()).contains("complete -F").contains("approve").contains("backups");
    }

    @Test
    void tablesAlignTheirColumnsAndShowMissingValuesAsADash() {
        StringWriter out = new StringWriter();
        new Table("ID", "STATE", "BY").row("a1", "RUNNING", null).row("b22222", "SUCCEEDED", "ops").print(new PrintWriter(out));

        assertThat(out.toString().lines()).containsExactly(
                "ID      STATE      BY",
                "a1      RUNNING    -",
                "b22222  SUCCEEDED  ops");
        assertThat(Table.bar(3, 8, 8)).isEqualTo("[###-----] 3/8");
    }
}
