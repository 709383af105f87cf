package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.postgres.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One real PostgreSQL server per test JVM, started on first use and stopped when the JVM exits. Every test
 * class of a module shares it (each service keeps to its own schema). Sets
 * {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username} and {@code quarkus.datasource.password}.
 *
 * <p>The server starts in the background as soon as Quarkus initialises the resource.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static CompletableFuture<PostgresServer> server;

    /** The shared server, started if it is not running yet. */
    public static PostgresServer server() {
        try {
            return starting().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static synchronized CompletableFuture<PostgresServer> starting() {
        if (server == null || server.isCompletedExceptionally()) {
            // zonky's own shutdown hook stops the server when this JVM exits
            server = CompletableFuture.supplyAsync(() -> PostgresServer.start(SandboxDirs.dir("postgres")));
        }
        return server;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        starting();
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
