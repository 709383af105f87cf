package dev.cpr.sandbox.postgres;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    @Test
    void aServerStartedAgainKeepsItsPortAndRows() throws Exception {
        try (PostgresServer server = PostgresServer.start(TestDirs.fresh("postgres-restart"))) {
            // given a row written
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password())) {
                c.createStatement().execute("create table plans (id text primary key)");
                c.createStatement().execute("insert into plans values ('plan-1')");
            }
            String url = server.jdbcUrl();

            // when the server is stopped keeping its data, then it refuses connections
            server.stopKeepingData();
            assertThatThrownBy(() -> DriverManager.getConnection(url, server.username(), server.password()).close())
                    .isInstanceOf(SQLException.class);

            // and when it is started again, then the row is there at the same address
            server.startAgain();
            assertThat(server.jdbcUrl()).isEqualTo(url);
            try (Connection c = DriverManager.getConnection(url, server.username(), server.password());
                    ResultSet rs = c.createStatement().executeQuery("select id from plans")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("plan-1");
            }
            assertThatThrownBy(server::startAgain).hasMessageContaining("is running: stop it first");
        }
    }
}
