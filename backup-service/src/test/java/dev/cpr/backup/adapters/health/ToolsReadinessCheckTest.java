package dev.cpr.backup.adapters.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.platform.tools.ToolCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsReadinessCheckTest {

    private static final Inventory PLAIN_AND_PKS = InventoryLoader.parse("test", """
            clusters:
              - id: plain
                kind: etcd
                members:
                  - {name: etcd-1, client-url: "http://127.0.0.1:2379", peer-url: "http://127.0.0.1:2380", data-dir: /d, access: {type: local}}
              - id: pks-1
                kind: bosh
                bosh: {director-url: "https://127.0.0.1:25555", deployment: d, instance-group: master, client: c, client-secret-env: S}
                members:
                  - {name: master-0, client-url: "http://127.0.0.1:3379", peer-url: "http://127.0.0.1:3380", data-dir: /d, access: {type: bosh, deployment: d, instance: master/1}}
            """);

    @TempDir
    Path bin;

    @Test
    void readyWhenEtcdARestoreToolAndBbrAreThere() throws IOException {
        executable("etcd");
        executable("etcdctl");
        executable("bbr");

        HealthCheckResponse response = check(PLAIN_AND_PKS).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void notReadyWithTheReasonWhenTheImageHasNoEtcd() throws IOException {
        executable("bbr");

        HealthCheckResponse response = check(PLAIN_AND_PKS).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("missing").toString())
                .contains("restore drills (a scratch etcd) needs 'etcd' (cpr.backup.drill.etcd): not found on PATH")
                .contains("'etcdutl' (cpr.backup.drill.etcdutl) or 'etcdctl' (cpr.backup.drill.etcdctl)")
                .doesNotContain("bbr");
    }

    @Test
    void bbrIsNeededOnlyWhenTheInventoryHasABoshCluster() throws IOException {
        executable("etcd");
        executable("etcdutl");
        Inventory plainOnly = new Inventory(PLAIN_AND_PKS.clusters().subList(0, 1));

        assertThat(check(plainOnly).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(check(PLAIN_AND_PKS).call().getData().orElseThrow().get("missing").toString())
                .isEqualTo("bbr backups of BOSH clusters needs 'bbr' (cpr.backup.bbr.binary): not found on PATH");
    }

    private ToolsReadinessCheck check(Inventory inventory) {
        return new ToolsReadinessCheck(ToolsReadinessCheck.requirements("etcd", "etcdutl", "etcdctl", "bbr", inventory),
                new ToolCheck(bin.toString()));
    }

    private void executable(String name) throws IOException {
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
