package dev.cpr.restore.adapters.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.restore.domain.kubespray.KubesprayInventoryWriter;
import dev.cpr.restore.domain.kubespray.KubesprayNode;
import dev.cpr.restore.domain.kubespray.PlaybookRun;
import dev.cpr.restore.domain.kubespray.PlaybookRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ansible-playbook} (Debian's {@code ansible}) against the test playbook, which asserts the inventory
 * groups, their order, {@code etcd_member_name} on broken hosts, {@code etcd_retries == 10} and {@code etcd_snapshot}:
 * a wrong inventory or wrong flags fail these tests. Without ansible-playbook installed they FAIL, saying so.
 */
class AnsiblePlaybookRunnerTest {

    @TempDir
    Path dir;

    private final AnsiblePlaybookRunner runner = new AnsiblePlaybookRunner("ansible-playbook", Map.of());

    /** node1 (etcd1) broke; node2 and node3 survive. */
    private final List<KubesprayNode> nodes = List.of(
            new KubesprayNode("node1", "10.0.0.1", null, null, "etcd1", true),
            new KubesprayNode("node2", "10.0.0.2", null, null, "etcd2", false),
            new KubesprayNode("node3", "10.0.0.3", null, null, "etcd3", false));

    @BeforeAll
    static void ansibleIsInstalled() {
        try {
            new AnsiblePlaybookRunner("ansible-playbook", Map.of()).locate();
        } catch (IOException e) {
            throw new AssertionError("these tests need the real ansible-playbook: " + e.getMessage(), e);
        }
    }

    private Path kubespray(String snapshot, int sleepSeconds) throws IOException {
        return TestKubespray.checkout(dir.resolve("kubespray"), List.of("node2", "node3", "node1"), List.of("node1"),
                Map.of("node1", "etcd1", "node2", "etcd2", "node3", "etcd3"),
                Map.of("node1", "10.0.0.1", "node2", "10.0.0.2"), snapshot, sleepSeconds);
    }

    private Path inventory(String content) throws IOException {
        Path file = dir.resolve("work/hosts.ini");
        KubesprayInventoryWriter.write(file, content);
        return file;
    }

    private static PlaybookRun run(Path kubespray, Path inventory, Map<String, String> vars, Duration timeout) {
        return new PlaybookRun(kubespray, inventory, "recover-control-plane.yml", List.of("etcd", "kube_control_plane"),
                vars, List.of(), timeout);
    }

    private static Map<String, String> vars(String retries, String snapshot) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("etcd_retries", retries);
        Optional.ofNullable(snapshot).ifPresent(s -> vars.put("etcd_snapshot", s));
        return vars;
    }

    @Test
    void theWrittenInventoryAndTheRunbooksFlagsPassThePlaybooksAssertions() throws Exception {
        // given a kubespray checkout whose playbook expects node2, node3 first and node1 broken, with a snapshot
        Path kubespray = kubespray("/var/backups/etcd-snapshot.db", 0);
        Path inventory = inventory(KubesprayInventoryWriter.render(nodes, List.of("test")));
        List<String> streamed = new ArrayList<>();

        // when ansible-playbook runs it as cpr does
        PlaybookRunner.Result result = runner.run(run(kubespray, inventory,
                vars("10", "/var/backups/etcd-snapshot.db"), Duration.ofSeconds(60)), streamed::add);

        // then every assertion passed, and the output came line by line
        assertThat(result.exitCode()).as(String.join("\n", result.tail())).isZero();
        assertThat(result.ok()).isTrue();
        assertThat(streamed).anyMatch(l -> l.contains("cpr-test-playbook: all assertions passed on node2"));
        assertThat(streamed).anyMatch(l -> l.startsWith("PLAY RECAP"));
        assertThat(result.lineCount()).isEqualTo(streamed.size());
        assertThat(result.command()).containsSubsequence("-i", inventory.toString(), "recover-control-plane.yml",
                "--limit", "etcd,kube_control_plane", "-e", "etcd_retries=10", "-e",
                "etcd_snapshot=/var/backups/etcd-snapshot.db");
    }

    @Test
    void anInventoryWithTheBrokenNodeFirstFailsThePlaybook() throws Exception {
        Path kubespray = kubespray(null, 0);
        String wrongOrder = KubesprayInventoryWriter.render(nodes, List.of()).replace(
                "[etcd]\nnode2\nnode3\nnode1\n", "[etcd]\nnode1\nnode2\nnode3\n");
        assertThat(wrongOrder).contains("[etcd]\nnode1\n");

        PlaybookRunner.Result result = runner.run(run(kubespray, inventory(wrongOrder), vars("10", null),
                Duration.ofSeconds(60)), l -> { });

        assertThat(result.exitCode()).isNotZero();
        assertThat(String.join("\n", result.tail())).contains("fatal: [node1]");
    }

    @Test
    void aMissingBrokenEtcdMemberNameFailsThePlaybook() throws Exception {
        Path kubespray = kubespray(null, 0);
        String noName = KubesprayInventoryWriter.render(nodes, List.of())
                .replace("node1 ansible_host=10.0.0.1 etcd_member_name=etcd1", "node1 ansible_host=10.0.0.1")
                .replace("[broken_etcd]\nnode1 etcd_member_name=etcd1", "[broken_etcd]\nnode1");

        PlaybookRunner.Result result = runner.run(run(kubespray, inventory(noName), vars("10", null),
                Duration.ofSeconds(60)), l -> { });

        assertThat(result.exitCode()).isNotZero();
        assertThat(String.join("\n", result.tail())).contains("node1 has etcd_member_name=(unset)");
    }

    @Test
    void wrongRetriesOrAMissingSnapshotFailThePlaybook() throws Exception {
        Path kubespray = kubespray("/var/backups/etcd-snapshot.db", 0);
        Path inventory = inventory(KubesprayInventoryWriter.render(nodes, List.of()));

        PlaybookRunner.Result fewRetries = runner.run(run(kubespray, inventory,
                vars("3", "/var/backups/etcd-snapshot.db"), Duration.ofSeconds(60)), l -> { });
        PlaybookRunner.Result noSnapshot = runner.run(run(kubespray, inventory, vars("10", null),
                Duration.ofSeconds(60)), l -> { });

        assertThat(fewRetries.exitCode()).isNotZero();
        assertThat(String.join("\n", fewRetries.tail())).contains("etcd_retries=3");
        assertThat(noSnapshot.exitCode()).isNotZero();
        assertThat(String.join("\n", noSnapshot.tail())).contains("etcd_snapshot=(unset)");
    }

    @Test
    void aPlaybookOverItsTimeoutIsKilledWithItsWholeProcessTree() throws Exception {
        // given a playbook whose last task runs `sleep 317`
        Path kubespray = kubespray(null, 317);
        Path inventory = inventory(KubesprayInventoryWriter.render(nodes, List.of()));
        List<String> streamed = new ArrayList<>();

        // when it runs with a 12 s timeout (room for ansible to reach that task on a loaded 2-core machine, where 4 s
        // was not always enough; the sleep still outlives it by minutes)
        long began = System.nanoTime();
        PlaybookRunner.Result result = runner.run(run(kubespray, inventory, vars("10", null), Duration.ofSeconds(12)),
                streamed::add);

        // then it is reported as timed out, early, and no `sleep 317` survives it
        assertThat(result.timedOut()).isTrue();
        assertThat(result.ok()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(30));
        assertThat(streamed).anyMatch(l -> l.contains("Optionally take a while"));
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 317")).orElse(false))
                .filter(AnsiblePlaybookRunnerTest::runningNotZombie).toList())
                .as("sleep 317 left running").isEmpty();
    }

    private static boolean runningNotZombie(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            return p.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aMissingAnsiblePlaybookSaysHowToInstallIt() {
        AnsiblePlaybookRunner absent = new AnsiblePlaybookRunner("ansible-playbook-not-installed", Map.of());

        assertThatThrownBy(() -> absent.run(run(dir, dir.resolve("hosts.ini"), vars("10", null), Duration.ofSeconds(5)),
                l -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'ansible-playbook-not-installed' is not installed")
                .hasMessageContaining("apt-get install ansible");
    }
}
