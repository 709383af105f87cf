package dev.cpr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.InventoryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sandbox cluster serves mutual TLS unless {@code -Dcpr.sandbox.tls=false} asks for plain HTTP. */
class SandboxTlsTest {

    @AfterEach
    void clearSwitch() {
        System.clearProperty(Sandbox.TLS_PROPERTY);
    }

    @Test
    void byDefaultTheSandboxClusterServesMutualTlsAndItsInventorySaysSo() {
        // given no switch
        // when
        Sandbox sandbox = Sandbox.start(TestDirs.fresh("whole-tls"));
        try {
            // then
            var cluster = InventoryLoader.load(sandbox.inventoryPath()).cluster(Sandbox.CLUSTER_ID).orElseThrow();
            assertThat(cluster.tls()).isNotNull().isEqualTo(sandbox.etcd().spec().tls());
            assertThat(cluster.members()).allSatisfy(m -> {
                assertThat(m.clientUrl()).startsWith("https://");
                assertThat(m.peerUrl()).startsWith("https://");
                assertThat(sandbox.etcd().isHealthy(m.name())).isTrue();
            });
            sandbox.etcd().putKeys("/tls-world/", 10);
            assertThat(sandbox.etcd().countKeys()).isGreaterThanOrEqualTo(10);
        } finally {
            sandbox.close();
            sandbox.etcd().deleteData();
        }
    }

    @Test
    void theOptOutStartsItOverPlainHttpWithoutATlsBlock() {
        // given
        System.setProperty(Sandbox.TLS_PROPERTY, "false");
        // when
        Sandbox sandbox = Sandbox.start(TestDirs.fresh("whole-plain"));
        try {
            // then
            var cluster = InventoryLoader.load(sandbox.inventoryPath()).cluster(Sandbox.CLUSTER_ID).orElseThrow();
            assertThat(cluster.tls()).isNull();
            assertThat(cluster.members()).allSatisfy(m -> {
                assertThat(m.clientUrl()).startsWith("http://");
                assertThat(sandbox.etcd().isHealthy(m.name())).isTrue();
            });
            sandbox.etcd().putKeys("/plain-world/", 10);
            assertThat(sandbox.etcd().countKeys()).isGreaterThanOrEqualTo(10);
        } finally {
            sandbox.close();
            sandbox.etcd().deleteData();
        }
    }

    @Test
    void aValueOtherThanTrueOrFalseIsRefusedNamingTheProperty() {
        // given
        System.setProperty(Sandbox.TLS_PROPERTY, "yes");
        // when / then
        assertThatThrownBy(Sandbox::tlsEnabled)
                .hasMessage("-Dcpr.sandbox.tls='yes': expected true or false");
    }

    @Test
    void mutualTlsIsTheDefault() {
        assertThat(Sandbox.tlsEnabled()).isTrue();
    }
}
