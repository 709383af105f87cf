package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.postgres.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One real PostgreSQL server per test JVM, started on first use and stopped when the JVM exits. Every test
 * class of a module shares it (each service keeps to its own schema). Sets
 * {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username} and {@code quarkus.datasource.password}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static PostgresServer server;

    /** The shared server, started if it is not running yet. */
    public static synchronized PostgresServer server() {
        if (server == null) {
            // zonky's own shutdown hook stops the server when this JVM exits
            server = PostgresServer.start(SandboxDirs.dir("postgres"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        PostgresServer pg = server();
        return Map.of(
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; stopped when the JVM exits
    }
}
