package dev.cpr.sandbox.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.sandbox.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EtcdReleaseTest {

    @Test
    void theSystemsEtcdIsTheDefaultAndThreeFiveIsTheOnlyOtherRelease() {
        assertThat(EtcdRelease.parse(null, "CPR_SANDBOX_ETCD")).isEmpty();
        assertThat(EtcdRelease.parse("", "CPR_SANDBOX_ETCD")).isEmpty();
        assertThat(EtcdRelease.parse("3.4", "--etcd")).isEmpty();
        assertThat(EtcdRelease.parse(" 3.5 ", "--etcd")).isEqualTo(Optional.of("3.5"));
    }

    @Test
    void aReleaseTheSandboxCannotRunIsRefusedNamingWhereItWasAskedFor() {
        assertThatThrownBy(() -> EtcdRelease.parse("3.6", "CPR_SANDBOX_ETCD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPR_SANDBOX_ETCD=3.6")
                .hasMessageContaining("3.6 is in no Debian suite");
    }

    /** Fetches Debian trixie's etcd 3.5 into the cache (once per machine) and runs a real cluster on it. */
    @Test
    void aClusterStartedOnThreeFiveRunsTheTrixieBinariesBesideTheSystemsEtcd() throws Exception {
        Path bin = EtcdRelease.binDir("3.5");

        assertThat(bin.resolve("etcdutl")).isExecutable();
        assertThat(bin.resolve("etcdctl")).isExecutable();
        assertThat(version(bin.resolve("etcd"))).startsWith("etcd Version: 3.5.");

        System.setProperty(EtcdRelease.PROPERTY, "3.5");
        try (EtcdCluster cluster = EtcdCluster.start(TestDirs.fresh("etcd35"), "three-five", 1)) {
            assertThat(cluster.members().get(0).etcdBinary()).isEqualTo(bin.resolve("etcd").toString());
            String served = cluster.client().getMaintenanceClient()
                    .statusMember(cluster.members().get(0).clientUrl()).get(10, TimeUnit.SECONDS).getVersion();
            assertThat(served).startsWith("3.5.");
            cluster.putKeys("k", 10);
            assertThat(cluster.countKeys()).isEqualTo(10);
        } finally {
            System.clearProperty(EtcdRelease.PROPERTY);
        }
    }

    private static String version(Path etcd) throws Exception {
        Process process = new ProcessBuilder(etcd.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().findFirst().orElse("");
    }
}
