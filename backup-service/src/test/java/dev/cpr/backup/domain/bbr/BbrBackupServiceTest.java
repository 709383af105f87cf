package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrTarget;

import dev.cpr.bosh.bbr.BbrExitCode;

import dev.cpr.bosh.bbr.BbrRun;

import dev.cpr.bosh.bbr.BbrProcess;

import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of bbr commands and what is cataloged, with a scripted bbr (the real one runs in BbrBackupIT-style tests). */
class BbrBackupServiceTest {

    @TempDir
    Path root;
    private final RecordingCatalog catalog = new RecordingCatalog();
    private final List<List<String>> commands = new ArrayList<>();
    private final List<Map<String, String>> envs = new ArrayList<>();
    private final Deque<BbrRun> script = new ArrayDeque<>();
    private final List<String> fallbacks = new ArrayList<>();

    private final BbrProcess bbr = new BbrProcess() {
        @Override
        public BbrRun run(String clusterId, List<String> args, Map<String, String> env, Duration timeout,
                Consumer<String> onLine) {
            commands.add(args);
            envs.add(env);
            return script.removeFirst();
        }
    };
    private final EtcdFallback fallback = (cluster, why) -> {
        fallbacks.add(why);
        return new EtcdFallback.Taken("snap-1", "etcd-1", "12 keys");
    };

    private BbrBackupService service() {
        return new BbrBackupService(bbr, catalog, new BbrArtifactVerifier(), fallback, root,
                new BbrBackupService.Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(1)));
    }

    static ClusterSpec cluster() {
        List<MemberSpec> members = List.of(1, 2, 3).stream().map(i -> new MemberSpec("etcd-" + i,
                "http://127.0.0.1:" + (2379 + i), "http://127.0.0.1:" + (2380 + i), "/tmp/etcd-" + i,
                NodeAccess.local(null, null, null))).toList();
        return new ClusterSpec("pks-1", ClusterKind.BOSH, null, null, members, null,
                new BoshSpec("https://10.0.0.6:25555", "service-instance_x", "master", "ops_manager", "s3cret", null,
                        "/ca.pem", new BoshSpec.DirectorSsh("10.0.0.6", "bbr", "/key")), null);
    }

    private static BbrRun ok(String command, String... output) {
        return new BbrRun(command, BbrExitCode.of(0), false, List.of(output), Duration.ofMillis(10));
    }

    private static BbrRun exit(String command, int code, String... output) {
        return new BbrRun(command, BbrExitCode.of(code), false, List.of(output), Duration.ofMillis(10));
    }

    @Test
    void theRealFlagsAreUsedAndTheSecretStaysOffTheCommandLine() {
        script.add(exit("pre-backup-check", 1, "Director responded with 401"));
        service().backupDeployment(cluster(), "manual");
        assertThat(commands.get(0)).containsExactly("deployment", "--target", "https://10.0.0.6:25555",
                "--username", "ops_manager", "--deployment", "service-instance_x", "--ca-cert", "/ca.pem",
                "pre-backup-check");
        assertThat(envs.get(0)).containsEntry("BOSH_CLIENT_SECRET", "s3cret");
        assertThat(String.join(" ", commands.get(0))).doesNotContain("s3cret");
    }

    @Test
    void aRowAlreadyRecordedInProgressIsTheOneTheOutcomeIsToldTo() {
        String id = catalog.started("pks-1", BbrTarget.DEPLOYMENT, "scheduled");
        script.add(exit("pre-backup-check", 1, "Director responded with 401"));
        BbrBackupResult result = service().run(id, cluster(), BbrTarget.deployment(cluster()), line -> { });
        assertThat(result.backupId()).isEqualTo(id);
        assertThat(catalog.entries()).hasSize(1);
        assertThat(catalog.get(id).status()).isEqualTo("failed");
        assertThat(catalog.get(id).trigger()).isEqualTo("scheduled");
    }

    @Test
    void aFailedPreBackupCheckTakesNoBackupAndNoFallbackWhenNoInstanceIsDown() {
        script.add(exit("pre-backup-check", 1, "Director responded with 401"));
        BbrBackupResult result = service().backupDeployment(cluster(), "manual");
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FAILED);
        assertThat(commands).hasSize(1);
        assertThat(fallbacks).isEmpty();
        assertThat(catalog.get(result.backupId()).status()).isEqualTo("failed");
        assertThat(catalog.get(result.backupId()).kind()).isEqualTo(BbrTarget.DEPLOYMENT);
    }

    @Test
    void aFailedBackupRunsBackupCleanupDeletesThePartialArtifactAndCatalogsNothingUsable() throws Exception {
        script.add(ok("pre-backup-check"));
        script.add(exit("backup", 1 | 8, "error 1:", "unlock failed"));
        script.add(ok("backup-cleanup"));
        // a partial artifact left by the failed run
        Path partial = Files.createDirectories(root.resolve("pks-1"));
        BbrProcess writing = (c, args, env, t, l) -> {
            commands.add(args);
            if (args.contains("backup")) {
                try {
                    Files.createDirectories(partial.resolve("service-instance_x_20260101T000000Z"));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return script.removeFirst();
        };
        BbrBackupResult result = new BbrBackupService(writing, catalog, new BbrArtifactVerifier(), fallback, root,
                new BbrBackupService.Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .backupDeployment(cluster(), "scheduled");
        assertThat(commands).extracting(c -> c.stream()
                .filter(a -> a.equals("pre-backup-check") || a.equals("backup") || a.equals("backup-cleanup"))
                .findFirst().orElse("?")).containsExactly("pre-backup-check", "backup", "backup-cleanup");
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FAILED);
        assertThat(result.message()).contains("exit 9: general error", "unlock error", "backup-cleanup ran",
                "partial artifact");
        assertThat(partial.resolve("service-instance_x_20260101T000000Z")).doesNotExist();
        assertThat(catalog.get(result.backupId()).location()).isNull();
    }

    @Test
    void aMasterDownFallsBackToAnEtcdSnapshotAndSaysSo() {
        script.add(ok("pre-backup-check"));
        script.add(exit("backup", 1, "Error attempting to run backup for job bbr-etcd on master/9b8ad6e0: "
                + "Error: dial tcp 172.28.3.2:2379: connect: connection refused - exit code 2"));
        script.add(ok("backup-cleanup"));
        BbrBackupResult result = service().backupDeployment(cluster(), "scheduled");
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FELL_BACK);
        assertThat(result.instanceDown()).contains("master/9b8ad6e0");
        assertThat(result.fallback()).hasValueSatisfying(f -> assertThat(f.member()).isEqualTo("etcd-1"));
        assertThat(result.message()).contains("master/9b8ad6e0 is down", "FELL BACK", "etcd-1", "snap-1");
        assertThat(catalog.get(result.backupId()).status()).isEqualTo("failed");
        assertThat(catalog.get(result.backupId()).detail()).contains("FELL BACK");
        assertThat(fallbacks).singleElement().asString().contains("master/9b8ad6e0");
    }

    @Test
    void aTimedOutBackupIsCleanedUp() {
        script.add(ok("pre-backup-check"));
        script.add(new BbrRun("backup", BbrExitCode.of(137), true, List.of(), Duration.ofMinutes(5)));
        script.add(exit("backup-cleanup", 16, "Unable to clean up"));
        BbrBackupResult result = service().backupDeployment(cluster(), "manual");
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FAILED);
        assertThat(result.message()).contains("killed after its timeout", "backup-cleanup failed too",
                "cleanup error");
    }

    @Test
    void directorBackupsUseBbrDirectorsFlagsAndNeverFallBack() {
        script.add(exit("pre-backup-check", 1, "ssh: dial tcp 10.0.0.6:22: connect: connection timed out (bosh/0)"));
        BbrBackupResult result = service().backupDirector(cluster(), "manual");
        assertThat(commands.get(0)).containsExactly("director", "--host", "10.0.0.6", "--username", "bbr",
                "--private-key-path", "/key", "pre-backup-check");
        assertThat(result.kind()).isEqualTo(BbrTarget.DIRECTOR);
        assertThat(result.outcome()).isEqualTo(BbrBackupResult.Outcome.FAILED);
        assertThat(fallbacks).isEmpty();
    }
}
