package dev.cpr.sandbox.bbr;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's bbr, as a process, against the BOSH simulator and a real 3-member etcd cluster. */
class BbrDeploymentTest {

    private static final Path BASE = TestDirs.fresh("bbr").toAbsolutePath();
    private static final String DEPLOYMENT = "service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4";
    private static final String ARTIFACT_NAME = DEPLOYMENT + "_\\d{8}T\\d{6}Z";
    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;
    private static Path artifacts;

    @BeforeAll
    static void start() throws IOException {
        Processes.deleteRecursively(BASE);
        cluster = EtcdCluster.start(BASE.resolve("etcd"), "bbr", 3);
        director = BoshDirectorSimulator.start(cluster, DEPLOYMENT, BASE.resolve("director"));
        artifacts = Files.createDirectories(BASE.resolve("artifacts"));
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

    @AfterEach
    void clusterHealthyAgain() {
        for (var member : cluster.members()) {
            if (!cluster.localMember(member.name()).isRunning()) {
                cluster.restart(member.name());
            }
        }
        cluster.awaitHealthy(Duration.ofSeconds(30));
    }

    private static String[] deployment(String... command) {
        List<String> args = new ArrayList<>(List.of("deployment", "--target", director.url(),
                "--username", director.options().client(), "--password", director.options().clientSecret(),
                "--deployment", DEPLOYMENT));
        args.addAll(List.of(command));
        return args.toArray(String[]::new);
    }

    private static Path freshDir(String name) throws IOException {
        Path dir = artifacts.resolve(name);
        Processes.deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    private static Path onlyArtifact(Path parent) throws IOException {
        try (Stream<Path> list = Files.list(parent)) {
            List<Path> dirs = list.toList();
            assertThat(dirs).hasSize(1);
            return dirs.get(0);
        }
    }

    private static Path backup(String dirName) throws IOException {
        Path parent = freshDir(dirName);
        BbrRun run = BbrRun.run(deployment("backup", "--artifact-path", parent.toString()));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return onlyArtifact(parent);
    }

    @Test
    void backupWritesOneTarPerMasterWithAnEtcdSnapshotAndMetadataWithTheirChecksums() throws Exception {
        cluster.putKeys("/registry/backup-layout/", 200);

        long t0 = System.nanoTime();
        Path parent = freshDir("layout");
        BbrRun run = BbrRun.run(deployment("backup", "--artifact-path", parent.toString(), "--with-manifest"));
        System.out.printf("[timing] bbr deployment backup in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).containsPattern("\\[bbr\\] \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d INFO - "
                + "Starting backup of " + DEPLOYMENT + "\\.\\.\\.");
        assertThat(run.stdout()).contains("Running pre-backup-lock scripts...", "Running post-backup-unlock scripts...");
        assertThat(run.stdout().indexOf("pre-backup-lock")).isLessThan(run.stdout().indexOf("Backing up bbr-etcd"));
        assertThat(run.stdout().indexOf("Backing up bbr-etcd")).isLessThan(run.stdout().indexOf("post-backup-unlock"));
        Path artifact = onlyArtifact(parent);
        assertThat(artifact.getFileName().toString()).matches(ARTIFACT_NAME);
        try (Stream<Path> files = Files.list(artifact)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("metadata", "manifest.yml",
                    "master-0-bbr-etcd.tar", "master-1-bbr-etcd.tar", "master-2-bbr-etcd.tar");
        }

        JsonNode metadata = new ObjectMapper(new YAMLFactory()).readTree(artifact.resolve("metadata").toFile());
        String time = "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d UTC";
        assertThat(metadata.path("backup_activity").path("start_time").asText()).matches(time);
        assertThat(metadata.path("backup_activity").path("finish_time").asText()).matches(time);
        assertThat(Files.readString(artifact.resolve("metadata"))).contains("  index: \"0\"\n");
        assertThat(metadata.path("instances")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode instance = metadata.path("instances").get(i);
            assertThat(instance.path("name").asText()).isEqualTo("master");
            assertThat(instance.path("index").asText()).isEqualTo(Integer.toString(i));
            JsonNode job = instance.path("artifacts").get(0);
            assertThat(job.path("name").asText()).isEqualTo("bbr-etcd");
            Path tar = artifact.resolve("master-" + i + "-bbr-etcd.tar");
            Map<String, String> inTar = Tar.checksums(tar);
            assertThat(inTar).containsOnlyKeys("./etcd-snapshot.db");
            assertThat(job.path("checksums").path("./etcd-snapshot.db").asText())
                    .matches("[0-9a-f]{64}").isEqualTo(inTar.get("./etcd-snapshot.db"));
            assertThat(systemTar("-tf", tar.toString())).isEqualTo("./etcd-snapshot.db\n");
        }
        // the snapshot is a real etcd snapshot
        Path extracted = Files.createDirectories(parent.resolve("extracted"));
        Tar.extract(artifact.resolve("master-0-bbr-etcd.tar"), extracted);
        String status = command(EtcdJob.etcdctlBinary(EtcdCluster.etcdBinary()), "snapshot", "status",
                extracted.resolve("etcd-snapshot.db").toString(), "-w", "json");
        assertThat(new ObjectMapper().readTree(status).path("totalKey").asLong()).isGreaterThanOrEqualTo(200);
        assertThat(director.instances()).allSatisfy(r -> assertThat(BASE.resolve("director").resolve("vms")
                .resolve(r.group() + "-" + r.index()).resolve("store").resolve("bbr-backup")).doesNotExist());
    }

    @Test
    void aBackupWithOneMasterDownFailsAndLeavesNoArtifact() throws Exception {
        director.failJob("master/1");
        Path parent = freshDir("one-down");

        BbrRun run = BbrRun.run(deployment("backup", "--artifact-path", parent.toString()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("1 error occurred:", "Error attempting to run backup for job bbr-etcd on master/"
                + director.instance("master/1").id() + ": Error: dial tcp 127.0.0.1:", "connect: connection refused");
        assertThat(run.stdout()).as("unlock runs even after the failure").contains("Running post-backup-unlock scripts");
        try (Stream<Path> files = Files.list(parent)) {
            assertThat(files).isEmpty();
        }
        assertThat(BbrRun.run(deployment("pre-backup-check")).exitCode()).as("VMs are up, the check passes").isZero();
    }

    @Test
    void aTamperedArtifactIsRefusedBeforeAnyLockAndNothingIsStopped() throws Exception {
        Path artifact = backup("tampered");
        Path tar = artifact.resolve("master-1-bbr-etcd.tar");
        try (RandomAccessFile file = new RandomAccessFile(tar.toFile(), "rw")) {
            file.seek(2048);
            int b = file.read();
            file.seek(2048);
            file.write(b ^ 0xff);
        }
        List<OptionalLong> pidsBefore = cluster.members().stream().map(m -> cluster.pid(m.name())).toList();

        BbrRun run = BbrRun.run(deployment("restore", "--artifact-path", artifact.toString()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("checksum mismatch in master-1-bbr-etcd.tar");
        assertThat(run.stdout()).contains("Validating backup artifact").doesNotContain("pre-restore-lock");
        assertThat(cluster.members().stream().map(m -> cluster.pid(m.name())).toList()).isEqualTo(pidsBefore);
        assertThat(cluster.members()).allSatisfy(m -> assertThat(cluster.isHealthy(m.name())).isTrue());
    }

    @Test
    void anArtifactMissingAMasterIsRefused() throws Exception {
        Path artifact = backup("missing-master");
        Files.delete(artifact.resolve("master-2-bbr-etcd.tar"));

        BbrRun run = BbrRun.run(deployment("restore", "--artifact-path", artifact.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("missing file master-2-bbr-etcd.tar");
    }

    @Test
    void restoreAfterLosingTwoMembersBringsAllThreeBackWithTheKeysOfTheBackup() throws Exception {
        cluster.putKeys("/registry/before/", 300);
        long keysAtBackup = cluster.countKeys();
        Path artifact = backup("restore");
        cluster.putKeys("/registry/after-backup/", 50);
        director.failJob("master/1");
        director.failJob("master/2");
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(director.url(),
                director.options().client(), director.options().clientSecret())
                .withTaskPolling(Duration.ofMillis(50), Duration.ofSeconds(30)));
        assertThat(client.instances(DEPLOYMENT)).filteredOn(i -> i.jobName().equals("master"))
                .allSatisfy(i -> assertThat(i.jobState()).isEqualTo("failing"));

        long t0 = System.nanoTime();
        BbrRun run = BbrRun.run(deployment("restore", "--artifact-path", artifact.toString()));
        System.out.printf("[timing] bbr deployment restore in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("Starting restore of " + DEPLOYMENT, "Running pre-restore-lock scripts...",
                "Running post-restore-unlock scripts...", "Completed restore of " + DEPLOYMENT);
        assertThat(cluster.members()).allSatisfy(m -> assertThat(cluster.isHealthy(m.name())).isTrue());
        assertThat(cluster.countKeys()).isEqualTo(keysAtBackup);
        assertThat(client.instances(DEPLOYMENT)).allSatisfy(i -> assertThat(i.isHealthy()).as(i.label()).isTrue());
        assertThat(client.instances(DEPLOYMENT)).extracting(BoshInstance::jobState).containsOnly("running");
    }

    @Test
    void aBackupLeftBehindByAKilledBbrBlocksTheNextUntilBackupCleanup() throws Exception {
        Path leftover = BASE.resolve("director").resolve("vms").resolve("master-0").resolve("store")
                .resolve("bbr-backup").resolve("bbr-etcd");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("etcd-snapshot.db"), "half written");
        Path parent = freshDir("leftover");

        BbrRun blocked = BbrRun.run(deployment("backup", "--artifact-path", parent.toString()));
        BbrRun check = BbrRun.run(deployment("pre-backup-check"));
        BbrRun cleanup = BbrRun.run(deployment("backup-cleanup"));

        assertThat(blocked.exitCode()).isEqualTo(1);
        assertThat(blocked.stderr()).contains("Directory /var/vcap/store/bbr-backup already exists on instance master/");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stdout()).contains("cannot be backed up");
        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        assertThat(leftover).doesNotExist();
        assertThat(BbrRun.run(deployment("pre-backup-check")).exitCode()).isZero();
    }

    @Test
    void usageErrorsAndAnUnknownDeploymentExitWithOne() {
        BbrRun noCommand = BbrRun.run("deployment", "--target", director.url());
        BbrRun missingFlag = BbrRun.run("deployment", "--target", director.url(), "backup");
        BbrRun unknown = BbrRun.run("deployment", "--target", director.url(), "--username",
                director.options().client(), "--password", director.options().clientSecret(), "--deployment", "nope",
                "pre-backup-check");

        assertThat(noCommand.exitCode()).isEqualTo(1);
        assertThat(missingFlag.exitCode()).isEqualTo(1);
        assertThat(missingFlag.stderr()).contains("--username flag is required");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("Deployment 'nope' doesn't exist");
    }

    static String systemTar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        return command(command.toArray(String[]::new));
    }

    static String command(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
