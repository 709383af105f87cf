package dev.cpr.restore.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EtcdEnvFileTest {

    private static final String KUBESPRAY = """
            # Environment file for etcd v3.5.10
            ETCD_DATA_DIR=/var/lib/etcd
            ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.1:2379
            ETCD_INITIAL_CLUSTER_STATE=new
            ETCD_NAME=etcd1
            ETCD_INITIAL_CLUSTER=etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380
            ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd

            # TLS settings
            ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem
            """;

    @Test
    void joiningAnExistingClusterEditsTheTwoLinesInPlaceAndKeepsTheRest() {
        // when the member is to join the running cluster
        String edited = EtcdEnvFile.joinExisting(KUBESPRAY,
                "etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380,etcd3=https://10.0.0.3:2380");

        // then only those lines changed, where they were
        assertThat(edited).isEqualTo("""
                # Environment file for etcd v3.5.10
                ETCD_DATA_DIR=/var/lib/etcd
                ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.1:2379
                ETCD_INITIAL_CLUSTER_STATE=existing
                ETCD_NAME=etcd1
                ETCD_INITIAL_CLUSTER=etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380,etcd3=https://10.0.0.3:2380
                ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd

                # TLS settings
                ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem
                """);
    }

    @Test
    void missingKeysAreAppendedAndAStaleForceNewClusterIsDropped() {
        String manualRestoreLeftovers = "ETCD_NAME=etcd1\nETCD_FORCE_NEW_CLUSTER=true\n";

        String edited = EtcdEnvFile.joinExisting(manualRestoreLeftovers, "etcd1=https://10.0.0.1:2380");

        assertThat(edited).isEqualTo("ETCD_NAME=etcd1\nETCD_INITIAL_CLUSTER_STATE=existing\n"
                + "ETCD_INITIAL_CLUSTER=etcd1=https://10.0.0.1:2380\n");
    }

    @Test
    void afterARestoreTheMemberStartsANewClusterUnderTheNewToken() {
        String edited = EtcdEnvFile.start(KUBESPRAY, "etcd1=https://10.0.0.1:2380", "new", "k8s_etcd-restored-1");

        assertThat(edited).contains("\nETCD_INITIAL_CLUSTER_STATE=new\n")
                .contains("\nETCD_INITIAL_CLUSTER=etcd1=https://10.0.0.1:2380\n")
                .contains("\nETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd-restored-1\n")
                .doesNotContain("k8s_etcd\n")
                .contains("ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem");
    }

    @Test
    void exportedAndDuplicatedKeysEndAsOneLine() {
        String edited = EtcdEnvFile.edit("export ETCD_INITIAL_CLUSTER_STATE=new\nETCD_INITIAL_CLUSTER_STATE=new\nX=1",
                Map.of("ETCD_INITIAL_CLUSTER_STATE", "existing"), Set.of());

        assertThat(edited).isEqualTo("ETCD_INITIAL_CLUSTER_STATE=existing\nX=1\n");
    }

    @Test
    void aValueAShellWouldReadDifferentlyIsRefused() {
        assertThatThrownBy(() -> EtcdEnvFile.joinExisting(KUBESPRAY, "etcd1=https://10.0.0.1:2380 $(reboot)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to write ETCD_INITIAL_CLUSTER=");
    }

    @Test
    void valuesAreReadBack() {
        assertThat(EtcdEnvFile.value(KUBESPRAY, "ETCD_DATA_DIR")).contains("/var/lib/etcd");
        assertThat(EtcdEnvFile.value("ETCD_NAME=\"etcd1\"", "ETCD_NAME")).contains("etcd1");
        assertThat(EtcdEnvFile.value(KUBESPRAY, "ETCD_FORCE_NEW_CLUSTER")).isEmpty();
    }
}
