package dev.cpr.bosh.bbr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bbr artifact's {@code metadata} file (YAML):
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
 * custom_artifacts:
 * - name: &lt;name&gt;
 *   checksums: {./file: &lt;sha256 hex&gt;}
 * </pre>
 * Times are in Go's {@code 2006/01/02 15:04:05 MST} layout. Instance artifacts are stored as
 * {@code <name>-<index>-<artifact>.tar}, custom artifacts as {@code <name>.tar}.
 */
public record BbrMetadata(Instant startTime, Instant finishTime, List<InstanceArtifacts> instances,
        List<Artifact> customArtifacts) {

    /** Go's {@code 2006/01/02 15:04:05 MST}. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss z", Locale.ROOT);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public BbrMetadata {
        instances = List.copyOf(instances);
        customArtifacts = List.copyOf(customArtifacts);
    }

    /** One artifact (a job's backup) and the sha256 of every file in its tar, keyed by path in the tar. */
    public record Artifact(String name, Map<String, String> checksums) {
        public Artifact {
            checksums = Map.copyOf(checksums);
        }
    }

    /** @param index as bbr writes it, a string ({@code "0"}) */
    public record InstanceArtifacts(String name, String index, List<Artifact> artifacts) {
        public InstanceArtifacts {
            artifacts = List.copyOf(artifacts);
        }

        /** {@code master/0} */
        public String id() {
            return name + "/" + index;
        }

        public String tarName(Artifact artifact) {
            return name + "-" + index + "-" + artifact.name() + ".tar";
        }
    }

    /** @throws BbrMetadataException naming the field that is missing or wrong */
    public static BbrMetadata parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new BbrMetadataException("metadata is not YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BbrMetadataException("metadata is empty or not a mapping");
        }
        JsonNode activity = root.path("backup_activity");
        Instant start = time(activity.path("start_time"), "backup_activity.start_time");
        Instant finish = time(activity.path("finish_time"), "backup_activity.finish_time");
        JsonNode instancesNode = root.path("instances");
        if (!instancesNode.isArray()) {
            throw new BbrMetadataException("metadata has no instances list");
        }
        List<InstanceArtifacts> instances = new ArrayList<>();
        int i = 0;
        for (JsonNode node : instancesNode) {
            String at = "instances[" + i++ + "]";
            String name = text(node.path("name"), at + ".name");
            String index = text(node.path("index"), at + ".index");
            instances.add(new InstanceArtifacts(name, index, artifacts(node.path("artifacts"), at + ".artifacts")));
        }
        List<Artifact> custom = root.has("custom_artifacts") && !root.path("custom_artifacts").isNull()
                ? artifacts(root.path("custom_artifacts"), "custom_artifacts") : List.of();
        return new BbrMetadata(start, finish, instances, custom);
    }

    private static List<Artifact> artifacts(JsonNode list, String at) {
        if (!list.isArray()) {
            throw new BbrMetadataException(at + " is missing or not a list");
        }
        List<Artifact> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : list) {
            String here = at + "[" + i++ + "]";
            String name = text(node.path("name"), here + ".name");
            JsonNode sums = node.path("checksums");
            if (!sums.isObject()) {
                throw new BbrMetadataException(here + ".checksums is missing or not a mapping");
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = sums.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String hex = e.getValue().asText("");
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new BbrMetadataException(here + ".checksums[" + e.getKey() + "] is not a sha256 hex: '"
                            + hex + "'");
                }
                checksums.put(e.getKey(), hex);
            }
            out.add(new Artifact(name, checksums));
        }
        return out;
    }

    private static String text(JsonNode node, String at) {
        if (node.isMissingNode() || node.isNull() || !node.isValueNode() || node.asText().isBlank()) {
            throw new BbrMetadataException(at + " is missing");
        }
        return node.asText();
    }

    /** {@code 2020/08/05 01:04:28 UTC} */
    static Instant time(JsonNode node, String at) {
        String text = text(node, at);
        try {
            return ZonedDateTime.parse(text, TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new BbrMetadataException(at + " '" + text + "' is not in bbr's 2006/01/02 15:04:05 MST layout");
        }
    }

    /** The metadata is missing, not YAML or not bbr's shape; the message names the field. */
    public static final class BbrMetadataException extends RuntimeException {
        public BbrMetadataException(String message) {
            super(message);
        }
    }
}
