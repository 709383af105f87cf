package dev.cpr.restore.adapters.ansible;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A kubespray checkout for tests: the test playbook {@code kubespray/recover-control-plane.yml} (it asserts the
 * inventory and variables it is given) and {@code expected.yml}, what it must be given.
 */
public final class TestKubespray {

    private TestKubespray() {
    }

    /**
     * @param etcdSnapshot null when no {@code -e etcd_snapshot} must be passed
     * @param sleepSeconds how long the playbook's last task sleeps (0: not at all)
     */
    public static Path checkout(Path dir, List<String> etcd, List<String> broken, Map<String, String> memberNames,
            Map<String, String> ansibleHosts, String etcdSnapshot, int sleepSeconds) throws IOException {
        Files.createDirectories(dir);
        try (InputStream playbook = TestKubespray.class.getResourceAsStream("/kubespray/recover-control-plane.yml")) {
            if (playbook == null) {
                throw new IllegalStateException("test resource kubespray/recover-control-plane.yml is missing");
            }
            Files.copy(playbook, dir.resolve("recover-control-plane.yml"));
        }
        String expected = String.join("\n",
                "etcd: " + list(etcd),
                "kube_control_plane: " + list(etcd),
                "broken_etcd: " + list(broken),
                "broken_kube_control_plane: " + list(broken),
                "etcd_member_names: " + map(memberNames),
                "ansible_hosts: " + map(ansibleHosts),
                "etcd_snapshot: " + (etcdSnapshot == null ? "null" : "'" + etcdSnapshot + "'"),
                "sleep_seconds: " + sleepSeconds,
                "");
        Files.writeString(dir.resolve("expected.yml"), expected);
        return dir;
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String map(Map<String, String> values) {
        return values.entrySet().stream().map(e -> "'" + e.getKey() + "': '" + e.getValue() + "'")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
