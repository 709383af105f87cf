package dev.cpr.sandbox.bbr;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshDirectorException;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 003: {@code bbr director} backs up the director's state and restores it into a rebuilt, empty director. */
class BbrDirectorTest {

    private static final Path BASE = TestDirs.fresh("bbr-director").toAbsolutePath();
    private static final String DEPLOYMENT = "service-instance_3cc33475-0425-4ced-a3cc-334750425ced";
    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;

    @BeforeAll
    static void start() {
        Processes.deleteRecursively(BASE);
        cluster = EtcdCluster.start(BASE.resolve("etcd"), "bbr-director", 1);
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

    private static String[] bbr(String... command) {
        return Stream.concat(Stream.of("director", "--host", director.bbrHost(), "--username", "bbr",
                "--private-key-path", director.bbrPrivateKey().toString()), Stream.of(command)).toArray(String[]::new);
    }

    @Test
    void backupThenRestoreIntoADirectorThatLostItsStateBringsTheDeploymentBack() throws Exception {
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(director.url(),
                director.options().client(), director.options().clientSecret()));
        String vmCid = director.instance("master/0").vmCid();
        Path parent = Files.createDirectories(BASE.resolve("artifacts"));

        assertThat(BbrRun.run(bbr("pre-backup-check")).exitCode()).isZero();
        BbrRun backup = BbrRun.run(bbr("backup", "--artifact-path", parent.toString()));
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        assertThat(BbrRun.run(bbr("backup-cleanup")).exitCode()).isZero();
        Path artifact;
        try (Stream<Path> list = Files.list(parent)) {
            artifact = list.findFirst().orElseThrow();
        }
        assertThat(artifact.getFileName().toString()).matches("127\\.0\\.0\\.1_\\d{8}T\\d{6}Z");
        assertThat(artifact.resolve("bosh-0-director.tar")).isRegularFile();
        BackupMetadata metadata = BackupMetadata.read(artifact.resolve("metadata"));
        assertThat(metadata.instance("bosh", 0).flatMap(i -> i.artifact("director")).orElseThrow().checksums())
                .isEqualTo(Tar.checksums(artifact.resolve("bosh-0-director.tar")));

        director.loseState();
        assertThat(client.deployments()).isEmpty();
        assertThatThrownBy(() -> client.instances(DEPLOYMENT)).isInstanceOfSatisfying(BoshDirectorException.class,
                e -> assertThat(e.code()).isEqualTo(BoshDirectorException.DEPLOYMENT_NOT_FOUND));

        BbrRun restore = BbrRun.run(bbr("restore", "--artifact-path", artifact.toString()));
        assertThat(BbrRun.run(bbr("restore-cleanup")).exitCode()).isZero();

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(client.deployments()).extracting(d -> d.name()).containsExactly(DEPLOYMENT);
        assertThat(client.instances(DEPLOYMENT).get(0).vmCid()).isEqualTo(vmCid);
        assertThat(director.directorScripts()).containsSubsequence("pre-backup-lock", "post-backup-unlock",
                "pre-restore-lock", "post-restore-unlock");
    }

    @Test
    void aWrongPrivateKeyIsRefused() throws Exception {
        Path wrong = Files.writeString(BASE.resolve("wrong_key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n");

        BbrRun run = BbrRun.run("director", "--host", director.bbrHost(), "--username", "bbr", "--private-key-path",
                wrong.toString(), "pre-backup-check");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("unable to authenticate");
        assertThat(List.of(run.stdout())).allSatisfy(out -> assertThat(out).contains("Director cannot be backed up."));
    }
}
