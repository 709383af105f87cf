package dev.cpr.console.adapters.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cpr.console.adapters.ConsoleConfig;
import dev.cpr.console.app.Upstream;
import dev.cpr.console.domain.Service;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpUpstreamTest {

    private HttpServer backupService;

    @BeforeEach
    void startABackupServiceThatProducesOnlySnapshotsOrProblems() throws IOException {
        // as JAX-RS does for @Produces({octet-stream, problem+json}): any other Accept is answered 406
        backupService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backupService.createContext("/api/v1/backups/b-1/download", exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            byte[] body;
            if (accept != null && accept.contains("application/octet-stream")) {
                body = "snapshot bytes".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Cpr-Sha256", "abc123");
                exchange.sendResponseHeaders(200, body.length);
            } else {
                body = "{\"status\":406}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(406, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backupService.start();
    }

    @AfterEach
    void stop() {
        backupService.stop(0);
    }

    @Test
    void aDownloadAsksBackupServiceForTheSnapshotItselfNotForJson() throws IOException {
        HttpUpstream upstream = new HttpUpstream(config("http://127.0.0.1:" + backupService.getAddress().getPort()),
                new ObjectMapper());

        Upstream.Download download = upstream.download(Service.BACKUP_SERVICE, "/api/v1/backups/b-1/download", "token");

        try (InputStream in = download.body()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("snapshot bytes");
        }
        assertThat(download.sha256()).isEqualTo("abc123");
    }

    private static ConsoleConfig config(String backupServiceUrl) {
        return new ConsoleConfig() {
            @Override
            public String healthMonitorUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public String backupServiceUrl() {
                return backupServiceUrl;
            }

            @Override
            public String restoreServiceUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public String notifierUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public Duration callTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration refreshInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public boolean secureCookie() {
                return false;
            }

            @Override
            public Optional<String> inventoryPath() {
                return Optional.empty();
            }

            @Override
            public Oidc oidc() {
                throw new UnsupportedOperationException("the upstream calls never log anyone in");
            }
        };
    }
}
