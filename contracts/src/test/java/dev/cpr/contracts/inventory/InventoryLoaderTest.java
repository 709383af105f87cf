package dev.cpr.contracts.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.recovery.PlanNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {

    private static final String GOOD = """
            clusters:
              - id: prod-etcd
                kind: etcd
                members:
                  - name: etcd-1
                    client-url: http://127.0.0.1:2379
                    peer-url: http://127.0.0.1:2380
                    data-dir: /var/lib/etcd-1
                    access: {type: local}
                  - name: etcd-2
                    client-url: http://127.0.0.1:22379
                    peer-url: http://127.0.0.1:22380
                    data-dir: /var/lib/etcd-2
                    access: {type: local, pid-file: /run/etcd-2.pid}
                policy:
                  recovery:
                    etcd-member-replace: approval
            """;

    @Test
    void aValidInventoryIsReadWithItsPolicyAndDefaults() {
        Inventory inventory = InventoryLoader.parse("inv.yaml", GOOD);

        ClusterSpec cluster = inventory.cluster("prod-etcd").orElseThrow();
        assertThat(cluster.kind()).isEqualTo(ClusterKind.ETCD);
        assertThat(cluster.members()).extracting(MemberSpec::name).containsExactly("etcd-1", "etcd-2");
        assertThat(cluster.initialClusterFlag())
                .isEqualTo("etcd-1=http://127.0.0.1:2380,etcd-2=http://127.0.0.1:22380");
        assertThat(cluster.member("etcd-1").orElseThrow().localPidFile()).isEqualTo("/var/lib/etcd-1.pid");
        assertThat(cluster.member("etcd-2").orElseThrow().localPidFile()).isEqualTo("/run/etcd-2.pid");
        assertThat(cluster.policyOrDefaults().named(PlanNames.ETCD_MEMBER_REPLACE)).contains(RecoveryMode.APPROVAL);
        assertThat(cluster.policyOrDefaults().named(PlanNames.ETCD_QUORUM_RESTORE)).as("left to the plan's default")
                .isEmpty();
        assertThat(cluster.token()).isEqualTo("prod-etcd");
    }

    @Test
    void aBadUrlIsReportedWithFileFieldAndReason() {
        String bad = GOOD.replace("http://127.0.0.1:22379", "127.0.0.1:22379");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .isInstanceOf(InventoryException.class)
                .hasMessage("inventory inv.yaml: clusters[0].members[1].client-url: "
                        + "'127.0.0.1:22379' must be http(s)://host:port");
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        String bad = GOOD.replace("data-dir: /var/lib/etcd-1", "datadir: /var/lib/etcd-1");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .isInstanceOf(InventoryException.class)
                .satisfies(e -> assertThat(((InventoryException) e).field()).isEqualTo("clusters[0].members[0].datadir"))
                .hasMessageContaining("Unrecognized field \"datadir\"");
    }

    @Test
    void anUnknownKindNamesTheField() {
        String bad = GOOD.replace("kind: etcd", "kind: consul");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .isInstanceOf(InventoryException.class)
                .satisfies(e -> assertThat(((InventoryException) e).field()).isEqualTo("clusters[0].kind"));
    }

    @Test
    void anUnknownPlanInThePolicyIsRefused() {
        String bad = GOOD.replace("etcd-member-replace: approval", "etcd-make-it-work: auto");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .isInstanceOf(InventoryException.class)
                .hasMessageContaining("clusters[0].policy.recovery.etcd-make-it-work: unknown plan");
    }

    @Test
    void duplicateMemberNamesAreRefused() {
        String bad = GOOD.replace("name: etcd-2", "name: etcd-1");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .hasMessage("inventory inv.yaml: clusters[0].members[1].name: 'etcd-1' is used by another member of this cluster");
    }

    @Test
    void localAccessNeedsADataDir() {
        String bad = GOOD.replace("        data-dir: /var/lib/etcd-1\n", "");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .hasMessage("inventory inv.yaml: clusters[0].members[0].data-dir: is required for local access");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> InventoryLoader.load(missing))
                .hasMessage("inventory " + missing + ": file does not exist");
    }

    @Test
    void whatIsWrittenIsReadBackUnchanged(@TempDir Path dir) throws Exception {
        Inventory inventory = InventoryLoader.parse("inv.yaml", GOOD);
        Path file = dir.resolve("out.yaml");

        InventoryLoader.write(inventory, file);

        assertThat(Files.readString(file)).contains("client-url: http://127.0.0.1:2379");
        assertThat(InventoryLoader.load(file)).isEqualTo(inventory);
    }

    private static final String BOSH = """
            clusters:
              - id: pks-cluster-1
                kind: bosh
                bosh:
                  director-url: https://10.0.0.5:25555
                  deployment: service-instance_56c19cfc
                  client: ops_manager
                  client-secret-env: BOSH_CLIENT_SECRET
                  ca-cert: /etc/cpr/bosh-ca.pem
                members:
                  - name: master-0
                    client-url: https://172.28.3.2:2379
                    peer-url: https://172.28.3.2:2380
                    access: {type: bosh, deployment: service-instance_56c19cfc, instance: master/9b8ad6e0}
            """;

    @Test
    void aBoshClusterNamesItsDirectorAndDeployment() {
        ClusterSpec cluster = InventoryLoader.parse("inv.yaml", BOSH).clusters().get(0);

        assertThat(cluster.bosh().deployment()).isEqualTo("service-instance_56c19cfc");
        assertThat(cluster.bosh().instanceGroupOrDefault()).isEqualTo("master");
        assertThat(cluster.bosh().clientSecretEnv()).isEqualTo("BOSH_CLIENT_SECRET");
    }

    @Test
    void aBoshClusterWithoutItsDirectorIsRefused() {
        String bad = BOSH.replace("      director-url: https://10.0.0.5:25555\n", "");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", bad))
                .hasMessage("inventory inv.yaml: clusters[0].bosh.director-url: is required");
    }

    @Test
    void aBoshSecretMustComeFromExactlyOnePlace() {
        String both = BOSH.replace("client-secret-env: BOSH_CLIENT_SECRET",
                "client-secret-env: BOSH_CLIENT_SECRET\n      client-secret: hunter2");

        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", both))
                .hasMessageContaining("clusters[0].bosh.client-secret-env: give exactly one of");
    }

    @Test
    void aBackupPolicyIsReadWithItsRpo() {
        String withBackup = GOOD + """
                    backup:
                      schedule: "0 0 */6 * * ?"
                      retention: {policy: count, keep: 7}
                      rpo: 6h
                      v2-data: true
                """;

        BackupPolicy backup = InventoryLoader.parse("inv.yaml", withBackup).clusters().get(0).backup();

        assertThat(backup.rpoDuration()).isEqualTo(java.time.Duration.ofHours(6));
        assertThat(backup.retention().keep()).isEqualTo(7);
        assertThat(backup.hasV2Data()).isTrue();
        assertThat(backup.takesIncidentSnapshots()).isTrue();
    }

    @Test
    void aBadRpoAndAFiveFieldCronAreNamed() {
        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", GOOD + "    backup: {rpo: soon}\n"))
                .hasMessage("inventory inv.yaml: clusters[0].backup.rpo: 'soon' is not a duration (90s, 15m, 6h, 1d or PT6H)");
        assertThatThrownBy(() -> InventoryLoader.parse("inv.yaml", GOOD + "    backup: {schedule: '0 */6 * * *'}\n"))
                .hasMessageContaining("clusters[0].backup.schedule: '0 */6 * * *' is not a Quartz cron");
    }

    @Test
    void quorumIsAMajority() {
        ClusterSpec three = InventoryLoader.parse("inv.yaml", GOOD).clusters().get(0);
        assertThat(new ClusterSpec("x", ClusterKind.ETCD, null, null,
                List.of(three.members().get(0), three.members().get(1), three.members().get(0)), null).quorum())
                .isEqualTo(2);
    }
}
