package dev.cpr.sandbox.demo.launcher;

import dev.cpr.sandbox.support.HttpReadiness;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.PortTakenException;
import dev.cpr.sandbox.support.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One cpr service run as its own JVM from its packaged Quarkus jar, configured through environment
 * variables only (12-factor), as it would be in production. Its output goes to its log file.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final Path logFile;
    private Process process;
    /** How long the log was when this run started: a restart appends to the same file. */
    private long logOffset;

    public ServiceProcess(String name, Path jar, int port, Path logFile) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.logFile = logFile;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    public Optional<Long> pid() {
        return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM; returns at once (see {@link #awaitReady}). */
    public void start(Map<String, String> env) throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running as pid " + process.pid());
        }
        Files.createDirectories(logFile.getParent());
        logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        List<String> command = new ArrayList<>(List.of(javaBinary(),
                // small, quick-starting JVMs: four of them share two cores with etcd, Kafka and PostgreSQL
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        process = builder.start();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        boolean ready = HttpReadiness.await(HTTP, URI.create(url() + "/q/health/ready"), timeout, Duration.ofMillis(200),
                name, () -> {
                    // before the probe: whoever took the port may answer it
                    if (Ports.saysPortTaken(Logs.since(logFile, logOffset))) {
                        throw new PortTakenException(name + " could not bind port " + port
                                + ": taken by another process\n" + Logs.tail(logFile, 20));
                    }
                    if (!isAlive()) {
                        throw new IllegalStateException(name + " exited during start-up (code " + process.exitValue()
                                + "), log " + logFile + ":\n" + Logs.tail(logFile, 40));
                    }
                });
        if (!ready) {
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s, log " + logFile
                    + ":\n" + Logs.tail(logFile, 40));
        }
    }

    /** Waits for the process to end by itself (e.g. a fault-injected halt); the exit code, if it ended. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (process == null) {
            return Optional.empty();
        }
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** SIGTERM, so Quarkus shuts down cleanly; SIGKILL after the grace period. */
    public void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code kill -9}: SIGKILL, no shutdown hook runs (a crash, as the failover scenario causes one). */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
