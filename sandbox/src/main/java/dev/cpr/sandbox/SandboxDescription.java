package dev.cpr.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything about a running sandbox another process needs: endpoints, pids, data dirs, log files.
 * {@code ./cpr up} writes it to {@code .cpr/sandbox.json}; {@link Sandbox#stop(SandboxDescription)} stops
 * the processes it names.
 *
 * @param launcherPid the JVM that started the sandbox (PostgreSQL is its child)
 */
public record SandboxDescription(
        String baseDir,
        String inventoryPath,
        long launcherPid,
        Etcd etcd,
        Kafka kafka,
        Postgres postgres) {

    /** @param clientEndpoints comma-separated client URLs */
    public record Etcd(String clusterId, String clientEndpoints, List<EtcdMember> members) {
    }

    /** @param pid null if the member was not running when described */
    public record EtcdMember(String name, String clientUrl, String peerUrl, String dataDir, String pidFile,
            String logFile, Long pid) {
    }

    public record Kafka(String bootstrapServers, long pid, String pidFile, String logFile, String dataDir) {
    }

    public record Postgres(String jdbcUrl, String reactiveUrl, String username, String password, int port,
            String dataDir, Long pid) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toJson());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static SandboxDescription read(Path file) {
        try {
            return JSON.readValue(file.toFile(), SandboxDescription.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox description " + file, e);
        }
    }
}
