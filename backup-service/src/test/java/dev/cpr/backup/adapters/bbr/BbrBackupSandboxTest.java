package dev.cpr.backup.adapters.bbr;

import dev.cpr.bosh.bbr.BbrTarget;

import dev.cpr.bosh.bbr.BbrRunner;

import dev.cpr.bosh.bbr.BbrVerification;
import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.adapters.etcd.JetcdSnapshotSource;
import dev.cpr.backup.adapters.store.LocalArtifactStore;

import dev.cpr.backup.domain.bbr.BbrBackupResult;
import dev.cpr.backup.domain.bbr.BbrBackupService;
import dev.cpr.bosh.bbr.BbrTarget;

import dev.cpr.backup.domain.bbr.EtcdFallback;
import dev.cpr.backup.domain.bbr.RecordingCatalog;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BBR backups with the REAL sandbox {@code bbr} (its launcher script, as a process) against the BOSH director
 * simulator over a real 3-member etcd cluster; the fallback is backup-service's real snapshot path (jetcd, local
 * artifact store). Only the catalog is a recording stand-in (see {@link RecordingCatalog}).
 */
class BbrBackupSandboxTest {

    private static final Path BASE = Path.of("target", "bbr-sandbox-test").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("..", "sandbox", "src", "main", "bbr", "bbr").toAbsolutePath().normalize();
    private static final String DEPLOYMENT = "service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4";

    private static EtcdCluster etcd;
    private static BoshDirectorSimulator director;
    private static ClusterSpec cluster;

    private final RecordingCatalog catalog = new RecordingCatalog();
    private BbrRunner runner;
    private LocalArtifactStore snapshots;

    @BeforeAll
    static void start() throws IOException {
        deleteRecursively(BASE);
        etcd = EtcdCluster.start(BASE.resolve("etcd"), "pks-1", 3);
        etcd.putKeys("/registry/pods/", 25);
        director = BoshDirectorSimulator.start(etcd, DEPLOYMENT, BASE.resolve("director"));
        ClusterSpec spec = etcd.spec();
        cluster = new ClusterSpec(spec.id(), ClusterKind.BOSH, spec.initialClusterToken(), spec.tls(), spec.members(),
                spec.policy(), new BoshSpec(director.url(), DEPLOYMENT, "master", director.options().client(),
                director.options().clientSecret(), null, null, new BoshSpec.DirectorSsh(director.bbrHost(), "bbr",
                director.bbrPrivateKey().toString())), null);
    }

    @AfterAll
    static void stop() {
        if (director != null) {
            director.close();
        }
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @BeforeEach
    void runner() {
        runner = new BbrRunner(LAUNCHER.toString(), Map.of(
                "CPR_BBR_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString()), Clock.systemUTC());
        snapshots = new LocalArtifactStore(BASE.resolve("snapshots"));
    }

    @AfterEach
    void everyMasterRunningAgain() {
        for (var member : etcd.members()) {
            if (!etcd.localMember(member.name()).isRunning()) {
                etcd.restart(member.name());
            }
        }
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    private BbrBackupService service(Path artifacts) {
        EtcdFallback fallback = (c, why) -> {
            SnapshotTaker taker = new SnapshotTaker(new JetcdSnapshotSource(Duration.ofSeconds(2), Duration.ofSeconds(60)),
                    snapshots, Clock.systemUTC());
            TakenSnapshot taken = taker.take(c, c.id() + "-bbr-fallback", Compression.NONE, m -> { });
            return new EtcdFallback.Taken(taken.location(), taken.member(), "etcd v3 snapshot, " + taken.sizeBytes()
                    + " bytes, " + taken.before().keyCount() + " keys at revision " + taken.before().revision()
                    + ", sha256 " + taken.sha256());
        };
        return new BbrBackupService(runner, catalog, new BbrArtifactVerifier(), fallback, artifacts,
                new BbrBackupService.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(60)));
    }

    @Test
    void aDeploymentBackupIsVerifiedAndCatalogedWithItsArtifactDirectory() {
        BbrBackupResult result = service(BASE.resolve("ok")).backupDeployment(cluster, "manual");
        assertThat(result.outcome()).as(result.message()).isEqualTo(BbrBackupResult.Outcome.VERIFIED);
        assertThat(result.runs()).extracting(r -> r.subcommand()).containsExactly("pre-backup-check", "backup");
        assertThat(result.artifact().getFileName().toString()).matches(DEPLOYMENT + "_\\d{8}T\\d{6}Z");
        assertThat(result.verification()).hasValueSatisfying(v -> {
            assertThat(v.metadata().instances()).extracting(i -> i.id())
                    .containsExactlyInAnyOrder("master/0", "master/1", "master/2");
            assertThat(v.filesChecked()).isGreaterThanOrEqualTo(3);
        });
        RecordingCatalog.Entry entry = catalog.get(result.backupId());
        assertThat(entry.status()).isEqualTo("verified");
        assertThat(entry.kind()).isEqualTo("bbr-deployment");
        assertThat(entry.location()).isEqualTo(result.artifact().toString());
    }

    @Test
    void aTarTamperedWithBeforeCatalogingIsCorruptNeverVerified() {
        Path artifacts = BASE.resolve("tampered");
        AtomicBoolean tampered = new AtomicBoolean();
        // bbr prints "Backup created of ..." after writing the tars and the metadata, before it exits
        BbrBackupResult result = service(artifacts).backup(cluster, BbrTarget.deployment(cluster), "manual", line -> {
            if (line.contains("Backup created of")) {
                tampered.set(flipAByteIn(artifacts.resolve(cluster.id()), "master-1-bbr-etcd.tar"));
            }
        });
        assertThat(tampered).isTrue();
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.CORRUPT);
        assertThat(result.message()).contains("CORRUPT", "checksum mismatch", "master-1-bbr-etcd.tar");
        assertThat(catalog.get(result.backupId()).status()).isEqualTo("corrupt");
        assertThat(catalog.entries()).noneMatch(e -> e.status().equals("verified"));
    }

    @Test
    void aMasterDownFailsBbrAndAHealthyMembersEtcdSnapshotIsTakenInsteadAndLabelled() {
        // seed 001: the etcd job on one master fails
        director.failJob("etcd-2");
        String master = "master/" + director.instance("etcd-2").id();
        BbrBackupResult result = service(BASE.resolve("degraded")).backupDeployment(cluster, "scheduled");
        assertThat(result.outcome()).as(result.message()).isEqualTo(BbrBackupResult.Outcome.FELL_BACK);
        assertThat(result.run("backup")).hasValueSatisfying(r -> {
            assertThat(r.exit().code()).isEqualTo(1);
            assertThat(r.text()).contains("Error attempting to run backup for job bbr-etcd on " + master);
        });
        assertThat(result.run("backup-cleanup")).hasValueSatisfying(r -> assertThat(r.succeeded()).isTrue());
        assertThat(result.instanceDown()).contains(master);
        assertThat(result.fallback()).hasValueSatisfying(f -> {
            assertThat(f.member()).isIn("etcd-1", "etcd-3");
            assertThat(snapshots.localPath(f.reference())).hasValueSatisfying(p -> assertThat(p).isRegularFile());
        });
        assertThat(result.message()).contains(master + " is down", "FELL BACK", "healthy member");
        RecordingCatalog.Entry entry = catalog.get(result.backupId());
        assertThat(entry.status()).isEqualTo("failed");
        assertThat(entry.location()).isNull();
        assertThat(entry.detail()).contains("FELL BACK");
        assertThat(directories(BASE.resolve("degraded").resolve(cluster.id()))).isEmpty();
    }

    @Test
    void bbrKilledMidRunCatalogsNothingUsableAndBackupCleanupRuns() {
        Path artifacts = BASE.resolve("killed");
        AtomicBoolean killed = new AtomicBoolean();
        BbrBackupResult result = service(artifacts).backup(cluster, BbrTarget.deployment(cluster), "manual", line -> {
            if (line.contains("Running backup scripts") && !killed.get()) {
                // as the OOM killer would: SIGKILL to the running bbr process
                long hit = ProcessHandle.current().children()
                        .filter(p -> commandLine(p).contains("dev.cpr.sandbox.bbr.BbrMain"))
                        .filter(p -> commandLine(p).contains(" backup --artifact-path "))
                        .filter(ProcessHandle::destroyForcibly)
                        .count();
                killed.set(hit > 0);
            }
        });
        assertThat(killed).isTrue();
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FAILED);
        assertThat(result.run("backup")).hasValueSatisfying(r -> {
            assertThat(r.exit().killedBySignal()).as(r.describe()).isTrue();
            assertThat(r.exit().message()).contains("killed by signal 9");
        });
        assertThat(result.run("backup-cleanup")).hasValueSatisfying(r -> assertThat(r.succeeded()).as(r.text()).isTrue());
        assertThat(catalog.get(result.backupId()).status()).isEqualTo("failed");
        assertThat(catalog.entries()).noneMatch(e -> e.location() != null);
        assertThat(directories(artifacts.resolve(cluster.id()))).isEmpty();
        assertThat(leftOnInstances()).as("bbr-backup directories left on the instances").isEmpty();
        // and the next backup is not blocked by leftovers
        assertThat(service(BASE.resolve("after-kill")).backupDeployment(cluster, "manual").outcome())
                .isEqualTo(BbrBackupResult.Outcome.VERIFIED);
    }

    @Test
    void aDirectorBackupIsVerified() {
        BbrBackupResult result = service(BASE.resolve("director-ok")).backupDirector(cluster, "manual");
        assertThat(result.outcome()).as(result.message()).isEqualTo(BbrBackupResult.Outcome.VERIFIED);
        assertThat(result.kind()).isEqualTo("bbr-director");
        assertThat(result.verification().map(BbrVerification::filesChecked).orElse(0)).isPositive();
        assertThat(catalog.get(result.backupId()).status()).isEqualTo("verified");
    }

    private static boolean flipAByteIn(Path dir, String tarName) {
        try (Stream<Path> files = Files.walk(dir)) {
            Path tar = files.filter(p -> p.getFileName().toString().equals(tarName)).findFirst().orElseThrow();
            try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
                f.seek(512 + 100);
                int b = f.read();
                f.seek(512 + 100);
                f.write(b ^ 0xff);
            }
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From /proc: the JDK's ProcessHandle.Info gives up on a command line as long as this classpath. */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> directories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> leftOnInstances() {
        try (Stream<Path> walk = Files.walk(BASE.resolve("director"))) {
            return walk.filter(p -> p.getFileName().toString().equals("bbr-backup")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
