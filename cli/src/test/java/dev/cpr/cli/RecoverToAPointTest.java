package dev.cpr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cpr recover --to-revision/--to-time}: what the command asks the console for. A loopback server stands in for
 * the console and records the request (the whole path against the real console and restore-service is e2e's).
 */
class RecoverToAPointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private HttpServer console;
    private final AtomicReference<JsonNode> asked = new AtomicReference<>();

    @BeforeEach
    void startAStandInConsole() throws IOException {
        console = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        console.createContext("/api/v1/plans", exchange -> {
            asked.set(JSON.readTree(exchange.getRequestBody()));
            byte[] plan = """
                    {"id": "p-1", "plan": "etcd-point-in-time-restore", "clusterId": "prod", "state": "AWAITING_APPROVAL",
                     "steps": []}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, plan.length);
            exchange.getResponseBody().write(plan);
            exchange.close();
        });
        console.start();
    }

    @AfterEach
    void stopIt() {
        console.stop(0);
    }

    @Test
    void aRevisionTargetIsSentAsTargetRevision() {
        int exit = cpr("recover", "prod", "--plan", "etcd-point-in-time-restore", "--to-revision", "41977");

        assertThat(exit).isZero();
        assertThat(asked.get().path("plan").asText()).isEqualTo("etcd-point-in-time-restore");
        assertThat(asked.get().path("targetRevision").asLong()).isEqualTo(41977L);
        assertThat(asked.get().path("targetTime").isNull()).isTrue();
    }

    @Test
    void aTimeTargetIsSentAsTargetTimeUnchanged() {
        int exit = cpr("recover", "prod", "--plan", "etcd-point-in-time-restore", "--to-time", "2026-12-03T14:05:00Z");

        assertThat(exit).isZero();
        assertThat(asked.get().path("targetTime").asText()).isEqualTo("2026-12-03T14:05:00Z");
        assertThat(asked.get().path("targetRevision").isNull()).isTrue();
    }

    @Test
    void aRevisionThatIsNotANumberIsAUsageErrorAndNothingIsAsked() {
        assertThat(cpr("recover", "prod", "--plan", "etcd-point-in-time-restore", "--to-revision", "yesterday"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(asked.get()).isNull();
    }

    private int cpr(String... args) {
        Map<String, String> env = Map.of("CPR_CONSOLE_URL", "http://127.0.0.1:" + console.getAddress().getPort(),
                "CPR_TOKEN", "operator-token");
        CommandLine line = CprCommand.commandLine(new CprCommand(env::get, home, null, Duration.ofMillis(10)));
        line.setOut(new PrintWriter(new StringWriter(), true));
        line.setErr(new PrintWriter(new StringWriter(), true));
        return line.execute(args);
    }
}
