package dev.cpr.sandbox.bbr;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bbr artifact's {@code metadata} file:
 * <pre>
 * backup_activity:
 *   start_time: 2020/08/05 01:04:28 UTC
 *   finish_time: 2020/08/05 01:09:10 UTC
 * instances:
 * - name: master
 *   index: "0"
 *   artifacts:
 *   - name: bbr-etcd
 *     checksums:
 *       ./etcd-snapshot.db: &lt;sha256 hex&gt;
 * </pre>
 * Times in Go's {@code 2006/01/02 15:04:05 MST} layout (UTC).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BackupMetadata(
        @JsonProperty("backup_activity") Activity backupActivity,
        @JsonProperty("instances") List<InstanceArtifacts> instances,
        @JsonProperty("custom_artifacts") List<Artifact> customArtifacts) {

    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public record Activity(@JsonProperty("start_time") String startTime,
            @JsonProperty("finish_time") String finishTime) {
    }

    /** @param index a string, as bbr writes it ({@code "0"}) */
    public record InstanceArtifacts(@JsonProperty("name") String name, @JsonProperty("index") String index,
            @JsonProperty("artifacts") List<Artifact> artifacts) {

        public Optional<Artifact> artifact(String job) {
            return artifacts == null ? Optional.empty()
                    : artifacts.stream().filter(a -> job.equals(a.name())).findFirst();
        }
    }

    public record Artifact(@JsonProperty("name") String name, @JsonProperty("checksums") Map<String, String> checksums) {
    }

    public Optional<InstanceArtifacts> instance(String name, int index) {
        return instances == null ? Optional.empty() : instances.stream()
                .filter(i -> name.equals(i.name()) && Integer.toString(index).equals(i.index())).findFirst();
    }

    public static String format(Instant time) {
        return TIME.format(time);
    }

    /** Writes the YAML in bbr's shape (keys in this order, index quoted, times unquoted). */
    public void write(Path file) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("backup_activity:\n");
        y.append("  start_time: ").append(backupActivity.startTime()).append('\n');
        y.append("  finish_time: ").append(backupActivity.finishTime()).append('\n');
        y.append("instances:\n");
        for (InstanceArtifacts instance : instances) {
            y.append("- name: ").append(instance.name()).append('\n');
            y.append("  index: \"").append(instance.index()).append("\"\n");
            y.append("  artifacts:\n");
            for (Artifact artifact : instance.artifacts()) {
                y.append("  - name: ").append(artifact.name()).append('\n');
                y.append("    checksums:");
                if (artifact.checksums().isEmpty()) {
                    y.append(" {}\n");
                } else {
                    y.append('\n');
                    artifact.checksums().forEach((k, v) -> y.append("      ").append(k).append(": ").append(v)
                            .append('\n'));
                }
            }
        }
        if (customArtifacts != null && !customArtifacts.isEmpty()) {
            y.append("custom_artifacts:\n");
            for (Artifact artifact : customArtifacts) {
                y.append("- name: ").append(artifact.name()).append('\n');
                y.append("  checksums:\n");
                artifact.checksums().forEach((k, v) -> y.append("    ").append(k).append(": ").append(v).append('\n'));
            }
        }
        Files.writeString(file, y.toString());
    }

    /** @throws IOException naming the file when it is missing or not bbr metadata */
    public static BackupMetadata read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("could not read metadata file " + file + ": no such file");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        BackupMetadata metadata;
        try {
            metadata = yaml.readValue(file.toFile(), BackupMetadata.class);
        } catch (IOException e) {
            throw new IOException("metadata file " + file + " is not bbr metadata: " + e.getMessage(), e);
        }
        if (metadata == null || metadata.instances() == null || metadata.backupActivity() == null) {
            throw new IOException("metadata file " + file + " has no backup_activity or no instances");
        }
        return metadata;
    }
}
