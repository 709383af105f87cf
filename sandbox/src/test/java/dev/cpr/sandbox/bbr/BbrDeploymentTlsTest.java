package dev.cpr.sandbox.bbr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.TestDirs;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's bbr against masters that serve mutual TLS, as PKS's do: its bbr-etcd job's {@code etcdctl snapshot
 * save} presents the job's client certificate, and a restore brings the masters back on their certificates.
 */
class BbrDeploymentTlsTest {

    private static final Path BASE = TestDirs.fresh("bbr-tls").toAbsolutePath();
    private static final String DEPLOYMENT = "service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4";
    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;

    @BeforeAll
    static void start() {
        Processes.deleteRecursively(BASE);
        cluster = EtcdCluster.startTls(BASE.resolve("etcd"), "bbr-tls", 3);
        director = BoshDirectorSimulator.start(cluster, DEPLOYMENT, BASE.resolve("director"));
    }

    @AfterAll
    static void stop() {
        if (director != null) {
            director.close();
        }
        if (cluster != null) {
            cluster.close();
            cluster.deleteData();
        }
    }

    private static BbrRun bbr(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("deployment", "--target", director.url(),
                "--username", director.options().client(), "--password", director.options().clientSecret(),
                "--deployment", DEPLOYMENT));
        args.addAll(List.of(command));
        return BbrRun.run(args.toArray(String[]::new));
    }

    @Test
    void aBackupOverMutualTlsRestoresTheMastersWithTheKeysOfTheBackup() throws IOException {
        // given a backup of a TLS cluster, then keys written after it and two masters lost
        cluster.putKeys("/registry/tls-before/", 300);
        long keysAtBackup = cluster.countKeys();
        Path parent = Files.createDirectories(BASE.resolve("artifacts"));
        BbrRun backup = bbr("backup", "--artifact-path", parent.toString());
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Path artifact;
        try (Stream<Path> list = Files.list(parent)) {
            artifact = list.findFirst().orElseThrow();
        }
        cluster.putKeys("/registry/tls-after/", 50);
        director.failJob("master/1");
        director.failJob("master/2");

        // when
        BbrRun restore = bbr("restore", "--artifact-path", artifact.toString());

        // then
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(cluster.members()).allSatisfy(m -> {
            assertThat(m.clientUrl()).startsWith("https://");
            assertThat(cluster.isHealthy(m.name())).as(m.name()).isTrue();
        });
        assertThat(cluster.countKeys()).isEqualTo(keysAtBackup);
    }

    @Test
    void theJobsEtcdctlPresentsTheClientCertificateOnlyToATlsMember() {
        var tls = cluster.tls().orElseThrow();
        assertThat(EtcdJob.tlsFlags(tls)).containsExactly("--cacert=" + tls.caFile(), "--cert=" + tls.certFile(),
                "--key=" + tls.keyFile());
        assertThat(EtcdJob.tlsFlags(null)).isEmpty();
    }
}
