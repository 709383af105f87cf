package dev.cpr.sandbox.postgres;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void answersSelectOneOverJdbcWithTheDocumentedCredentials() throws Exception {
        long t0 = System.nanoTime();
        try (PostgresServer server = PostgresServer.start(TestDirs.fresh("postgres"))) {
            System.out.printf("[timing] PostgreSQL ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            assertThat(server.reactiveUrl()).isEqualTo("postgresql://127.0.0.1:" + server.port() + "/postgres");
            assertThat(server.pid()).isPresent();
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                    ResultSet rs = c.createStatement().executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
