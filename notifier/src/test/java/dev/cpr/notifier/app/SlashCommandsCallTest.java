package dev.cpr.notifier.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cpr.notifier.config.ServiceSettings;
import dev.cpr.notifier.adapters.persistence.SlackMessageRepository;
import dev.cpr.notifier.adapters.persistence.SlackMessageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /cpr backup} and {@code /cpr recover} calling the other services. backup-service's and restore-service's
 * endpoints cannot run inside notifier's tests, so a tiny local HTTP stub stands in for them: 202 for a backup,
 * 404 for recoveries (restore-service has no POST yet), and a closed port for "unreachable".
 */
class SlashCommandsCallTest {

    record Call(String path, String authorization, String body) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private HttpServer stub;

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                calls.add(new Call(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                boolean backups = exchange.getRequestURI().getPath().equals("/api/v1/backups");
                byte[] body = (backups ? "{\"backupId\":\"b-42\",\"status\":\"IN_PROGRESS\"}" : "").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(backups ? 202 : 404, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        stub.start();
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    @Test
    void backupPostsTheClusterWithTheServiceTokenAndSaysWhatStarted() {
        SlashCommands commands = commands(stubUrl(), stubUrl());

        SlackReply reply = commands.run(SlashCommands.parse("backup sandbox"), "U0APPROVER")
                .await().atMost(Duration.ofSeconds(10));

        assertThat(reply.body().path("text").asText()).isEqualTo("Backup b-42 of *sandbox* started (IN_PROGRESS).");
        assertThat(reply.body().path("failed").asBoolean()).isFalse();
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/api/v1/backups");
            assertThat(c.authorization()).isEqualTo("Bearer svc-token");
            assertThat(c.body()).isEqualTo("{\"cluster\":\"sandbox\"}");
        });
    }

    @Test
    void recoverAgainstAServiceWithoutTheEndpointSaysItIsNotAvailable() {
        SlashCommands commands = commands(stubUrl(), stubUrl());

        SlackReply reply = commands.run(SlashCommands.parse("recover sandbox etcd-quorum-restore"), "U0APPROVER")
                .await().atMost(Duration.ofSeconds(10));

        assertThat(reply.body().path("text").asText())
                .isEqualTo(":warning: restore-service does not offer /api/v1/recoveries (HTTP 404): not available in this version.");
        assertThat(reply.body().path("failed").asBoolean()).isTrue();
        assertThat(calls).singleElement().satisfies(c -> assertThat(c.body())
                .isEqualTo("{\"cluster\":\"sandbox\",\"plan\":\"etcd-quorum-restore\"}"));
    }

    @Test
    void anUnreachableServiceIsSaidPlainly() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        SlashCommands commands = commands(closed, closed);

        SlackReply reply = commands.run(SlashCommands.parse("backup sandbox"), "U0APPROVER")
                .await().atMost(Duration.ofSeconds(10));

        assertThat(reply.body().path("text").asText())
                .isEqualTo(":warning: backup-service is unreachable at " + closed + " (connection refused).");
    }

    private String stubUrl() {
        return "http://127.0.0.1:" + stub.getAddress().getPort() + "/";
    }

    private static SlashCommands commands(String backupUrl, String restoreUrl) {
        ServiceSettings settings = new ServiceSettings() {
            @Override
            public Optional<String> backupServiceUrl() {
                return Optional.of(backupUrl);
            }

            @Override
            public Optional<String> restoreServiceUrl() {
                return Optional.of(restoreUrl);
            }

            @Override
            public Optional<String> serviceToken() {
                return Optional.of("svc-token");
            }

            @Override
            public Duration callTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Optional<String> approvalSigningKey() {
                return Optional.empty();
            }
        };
        return new SlashCommands(new SlackMessageStore(new SlackMessageRepository()), settings);
    }
}
