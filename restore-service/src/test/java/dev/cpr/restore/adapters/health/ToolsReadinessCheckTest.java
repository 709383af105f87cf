package dev.cpr.restore.adapters.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.platform.tools.ToolCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsReadinessCheckTest {

    private static final Inventory KUBESPRAY = InventoryLoader.parse("test", """
            clusters:
              - id: prod
                kind: kubespray
                members:
                  - {name: etcd1, client-url: "http://127.0.0.1:2379", peer-url: "http://127.0.0.1:2380", data-dir: /d, access: {type: ssh, host: 10.0.0.11, user: cpr}}
            """);

    @TempDir
    Path bin;
    @TempDir
    Path checkout;

    @Test
    void readyWithARestoreToolAnsibleAndAKubesprayCheckoutHoldingThePlaybook() throws IOException {
        executable("etcdutl");
        executable("ansible-playbook");
        Files.writeString(checkout.resolve("recover-control-plane.yml"), "- hosts: etcd\n");

        HealthCheckResponse response = check(KUBESPRAY, Optional.of(checkout.toString())).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void notReadyNamingEveryMissingToolAndTheCheckout() {
        HealthCheckResponse response = check(KUBESPRAY, Optional.empty()).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("missing").toString())
                .contains("etcd-quorum-restore (snapshot restore) needs 'etcdutl' (cpr.restore.restore.etcdutl) or "
                        + "'etcdctl' (cpr.restore.restore.etcdctl): not found on PATH")
                .contains("kubespray-recover-control-plane needs 'ansible-playbook' "
                        + "(cpr.restore.kubespray.ansible-playbook): not found on PATH")
                .contains("kubespray-recover-control-plane needs the kubespray checkout (cpr.restore.kubespray.dir): not set");
    }

    @Test
    void aCheckoutWithoutThePlaybookIsNamed() throws IOException {
        executable("etcdctl");
        executable("ansible-playbook");

        HealthCheckResponse response = check(KUBESPRAY, Optional.of(checkout.toString())).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("missing").toString())
                .contains(checkout.resolve("recover-control-plane.yml") + " (cpr.restore.kubespray.dir");
    }

    @Test
    void aPlainEtcdInventoryNeedsNeitherAnsibleNorBbr() throws IOException {
        executable("etcdctl");
        Inventory plain = InventoryLoader.parse("test", """
                clusters:
                  - id: plain
                    kind: etcd
                    members:
                      - {name: etcd-1, client-url: "http://127.0.0.1:2379", peer-url: "http://127.0.0.1:2380", data-dir: /d, access: {type: local}}
                """);

        assertThat(check(plain, Optional.empty()).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private ToolsReadinessCheck check(Inventory inventory, Optional<String> kubesprayDir) {
        return new ToolsReadinessCheck(
                ToolsReadinessCheck.requirements("etcdutl", "etcdctl", "ansible-playbook", "bbr", inventory),
                ToolsReadinessCheck.kubesprayCheckoutProblem(kubesprayDir, "recover-control-plane.yml", inventory),
                new ToolCheck(bin.toString()));
    }

    private void executable(String name) throws IOException {
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
