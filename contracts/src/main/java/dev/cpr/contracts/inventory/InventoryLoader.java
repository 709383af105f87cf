package dev.cpr.contracts.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cpr.contracts.recovery.PlanNames;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the cluster inventory. Every problem is reported as an {@link InventoryException}
 * naming the file, the field (as a path such as {@code clusters[0].members[1].client-url}) and the
 * reason, because a service must not start on an inventory it half understands.
 */
public final class InventoryLoader {

    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private InventoryLoader() {
    }

    public static Inventory load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException(name, "", "file does not exist", e);
        } catch (IOException e) {
            throw new InventoryException(name, "", "cannot be read: " + e.getMessage(), e);
        }
        return parse(name, text);
    }

    /** Parses inventory YAML; {@code name} is used in error messages in place of a file path. */
    public static Inventory parse(String name, String yaml) {
        Inventory inventory;
        try {
            inventory = YAML.readValue(yaml, Inventory.class);
        } catch (JsonMappingException e) {
            throw new InventoryException(name, path(e), e.getOriginalMessage().split("\n")[0], e);
        } catch (JsonProcessingException e) {
            throw new InventoryException(name, "", "not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (inventory == null) {
            throw new InventoryException(name, "clusters", "the file is empty; at least one cluster is required", null);
        }
        new Checker(name).check(inventory);
        return inventory;
    }

    public static String toYaml(Inventory inventory) {
        try {
            return YAML.writeValueAsString(inventory);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write inventory", e);
        }
    }

    public static void write(Inventory inventory, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toYaml(inventory));
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            }
        }
        return out.toString();
    }

    private record Checker(String file) {

        void check(Inventory inventory) {
            List<ClusterSpec> clusters = inventory.clusters();
            if (clusters == null || clusters.isEmpty()) {
                fail("clusters", "at least one cluster is required");
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < clusters.size(); i++) {
                ClusterSpec cluster = clusters.get(i);
                String at = "clusters[" + i + "]";
                if (cluster == null) {
                    fail(at, "is empty");
                }
                if (cluster.id() == null || cluster.id().isBlank()) {
                    fail(at + ".id", "is required");
                }
                if (!CLUSTER_ID.matcher(cluster.id()).matches()) {
                    fail(at + ".id", "'" + cluster.id() + "' must be lower-case letters, digits and '-' (at most 63)");
                }
                if (!ids.add(cluster.id())) {
                    fail(at + ".id", "'" + cluster.id() + "' is used by another cluster");
                }
                if (cluster.kind() == null) {
                    fail(at + ".kind", "is required (one of etcd, kubespray, bosh)");
                }
                checkMembers(at, cluster.members());
                checkPolicy(at, cluster.policy());
                checkBosh(at, cluster);
                checkBackup(at, cluster.backup());
            }
        }

        private void checkMembers(String at, List<MemberSpec> members) {
            if (members == null || members.isEmpty()) {
                fail(at + ".members", "at least one member is required");
            }
            Set<String> names = new HashSet<>();
            for (int j = 0; j < members.size(); j++) {
                MemberSpec member = members.get(j);
                String m = at + ".members[" + j + "]";
                if (member == null) {
                    fail(m, "is empty");
                }
                if (member.name() == null || member.name().isBlank()) {
                    fail(m + ".name", "is required");
                }
                if (!names.add(member.name())) {
                    fail(m + ".name", "'" + member.name() + "' is used by another member of this cluster");
                }
                checkUrl(m + ".client-url", member.clientUrl());
                checkUrl(m + ".peer-url", member.peerUrl());
                checkAccess(m, member);
            }
        }

        private void checkAccess(String m, MemberSpec member) {
            NodeAccess access = member.access();
            if (access == null || access.type() == null) {
                fail(m + ".access.type", "is required (one of local, ssh, bosh)");
            }
            switch (access.type()) {
                case LOCAL -> {
                    if (member.dataDir() == null || member.dataDir().isBlank()) {
                        fail(m + ".data-dir", "is required for local access");
                    }
                }
                case SSH -> {
                    if (access.host() == null || access.host().isBlank()) {
                        fail(m + ".access.host", "is required for ssh access");
                    }
                    if (access.user() == null || access.user().isBlank()) {
                        fail(m + ".access.user", "is required for ssh access");
                    }
                    if (access.port() != null && (access.port() < 1 || access.port() > 65535)) {
                        fail(m + ".access.port", access.port() + " is not a TCP port");
                    }
                }
                case BOSH -> {
                    if (access.deployment() == null || access.deployment().isBlank()) {
                        fail(m + ".access.deployment", "is required for bosh access");
                    }
                    if (access.instance() == null || access.instance().isBlank()) {
                        fail(m + ".access.instance", "is required for bosh access (group/id)");
                    }
                }
            }
        }

        private void checkBosh(String at, ClusterSpec cluster) {
            BoshSpec bosh = cluster.bosh();
            if (cluster.kind() != ClusterKind.BOSH) {
                if (bosh != null) {
                    fail(at + ".bosh", "is only for kind: bosh");
                }
                return;
            }
            if (bosh == null) {
                fail(at + ".bosh", "is required for kind: bosh (director-url, deployment, client, client-secret-env)");
            }
            checkUrl(at + ".bosh.director-url", bosh.directorUrl());
            if (bosh.deployment() == null || bosh.deployment().isBlank()) {
                fail(at + ".bosh.deployment", "is required");
            }
            if (bosh.client() == null || bosh.client().isBlank()) {
                fail(at + ".bosh.client", "is required");
            }
            if ((bosh.clientSecret() == null) == (bosh.clientSecretEnv() == null)) {
                fail(at + ".bosh.client-secret-env", "give exactly one of client-secret-env (preferred) or client-secret");
            }
        }

        private void checkBackup(String at, BackupPolicy backup) {
            if (backup == null) {
                return;
            }
            if (backup.schedule() != null && backup.schedule().trim().split("\\s+").length < 6) {
                fail(at + ".backup.schedule", "'" + backup.schedule() + "' is not a Quartz cron "
                        + "(six or seven fields, seconds first: '0 0 */6 * * ?')");
            }
            if (backup.rpo() != null) {
                try {
                    BackupPolicy.parseDuration(backup.rpo());
                } catch (IllegalArgumentException e) {
                    fail(at + ".backup.rpo", e.getMessage());
                }
            }
            if (backup.compression() != null && !java.util.Set.of("none", "gzip").contains(backup.compression())) {
                fail(at + ".backup.compression", "'" + backup.compression() + "' is not one of none, gzip");
            }
            BackupPolicy.Retention retention = backup.retention();
            if (retention != null) {
                if (!java.util.Set.of("count", "exponential").contains(String.valueOf(retention.policy()))) {
                    fail(at + ".backup.retention.policy", "'" + retention.policy() + "' is not one of count, exponential");
                }
                if ("count".equals(retention.policy()) && (retention.keep() == null || retention.keep() < 1)) {
                    fail(at + ".backup.retention.keep", "count retention needs keep >= 1");
                }
            }
        }

        private void checkPolicy(String at, RecoveryPolicy policy) {
            if (policy == null || policy.recovery() == null) {
                return;
            }
            for (var entry : policy.recovery().entrySet()) {
                if (!PlanNames.ALL.contains(entry.getKey())) {
                    fail(at + ".policy.recovery." + entry.getKey(), "unknown plan; known plans: "
                            + String.join(", ", PlanNames.ALL.stream().sorted().toList()));
                }
                if (entry.getValue() == null) {
                    fail(at + ".policy.recovery." + entry.getKey(), "mode is required (auto, approval, notify-only)");
                }
            }
        }

        private void checkUrl(String field, String value) {
            if (value == null || value.isBlank()) {
                fail(field, "is required");
            }
            try {
                URI uri = new URI(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getPort() < 0) {
                    fail(field, "'" + value + "' must be http(s)://host:port");
                }
            } catch (URISyntaxException e) {
                fail(field, "'" + value + "' must be http(s)://host:port");
            }
        }

        private void fail(String field, String reason) {
            throw new InventoryException(file, field, reason, null);
        }
    }
}
