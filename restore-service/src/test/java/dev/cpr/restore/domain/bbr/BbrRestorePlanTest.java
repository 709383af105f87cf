package dev.cpr.restore.domain.bbr;

import static dev.cpr.contracts.recovery.StepState.RUNNING;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.bbr.Tar;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two bbr restore plans against in-memory ports: a catalog, a bbr that records its calls, a journal, the fake
 * etcd cluster and a fake director. The artifacts are real directories with real tars (the sandbox bbr's writer).
 */
class BbrRestorePlanTest {

    private static final String PLAN_ID = "7f3c2a10-0000-4000-8000-000000000001";
    private static final String DEPLOYMENT = "service-instance_56c19cfc";
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:04Z");

    @TempDir
    Path root;

    private final FakeEtcdCluster etcd = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final ClusterSpec cluster = new ClusterSpec("test", ClusterKind.BOSH, null, null, etcd.spec.members(), null,
            new BoshSpec("https://10.0.0.6:25555", DEPLOYMENT, "master", "ops", "s3cret", null, null,
                    new BoshSpec.DirectorSsh("10.0.0.6", "bbr", "/keys/bbr.pem")), null);
    private final InMemoryBbrArtifactCatalog catalog = new InMemoryBbrArtifactCatalog();
    private final InMemoryBbrRestoreJournal journal = new InMemoryBbrRestoreJournal();
    private final FakeBbr bbr = new FakeBbr();
    private final FakeDirector director = new FakeDirector();
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private Path artifact;

    @BeforeEach
    void aVerifiedDeploymentArtifact() throws IOException {
        artifact = deploymentArtifact(3);
        catalog.add(new BbrArtifactRef("bbr-1", "test", "bbr-deployment", artifact.toString(), NOW.minusSeconds(600)));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ the happy paths

    @Test
    void aVerifiedArtifactIsRestoredWithBbrDeploymentAndTheClusterIsVerified() {
        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1"));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::name)
                .containsExactly("verify-artifact", "bbr-restore", "verify-restore");
        assertThat(result.step(0).output()).contains("verified", "3 instance(s)", "master/0", "master/2");
        assertThat(bbr.subcommands()).containsExactly("restore");
        FakeBbr.Call restore = bbr.calls.get(0);
        assertThat(restore.args()).containsSubsequence("deployment", "--target", "https://10.0.0.6:25555",
                "--username", "ops", "--deployment", DEPLOYMENT, "restore", "--artifact-path", artifact.toString());
        assertThat(restore.args()).as("the secret never on the command line").doesNotContain("s3cret");
        assertThat(restore.env()).containsEntry("BOSH_CLIENT_SECRET", "s3cret");
        assertThat(result.step(2).output()).contains("3/3 members healthy, one leader, revision 7 on every member");
        assertThat(journal.finishedDetail(PLAN_ID)).isPresent();
    }

    @Test
    void aDirectorArtifactIsRestoredWithBbrDirectorAndTheDirectorMustListTheDeploymentAgain() throws IOException {
        Path dir = directorArtifact();
        catalog.add(new BbrArtifactRef("bbr-d", "test", "bbr-director", dir.toString(), NOW.minusSeconds(60)));
        director.knowsDeploymentAfterPolls = 3;

        RecoveryPlan result = run(stored(PlanNames.BBR_DIRECTOR_RESTORE, "bbr-d"));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(bbr.calls).singleElement().satisfies(c -> assertThat(c.args()).containsSubsequence("director",
                "--host", "10.0.0.6", "--username", "bbr", "--private-key-path", "/keys/bbr.pem", "restore",
                "--artifact-path", dir.toString()));
        assertThat(result.step(2).output()).contains("lists " + DEPLOYMENT + " with 4 instance(s), 3 of them master");
    }

    @Test
    void aDirectorThatNeverListsTheDeploymentAgainFailsVerifyRestoreSayingSo() throws IOException {
        Path dir = directorArtifact();
        catalog.add(new BbrArtifactRef("bbr-d", "test", "bbr-director", dir.toString(), NOW.minusSeconds(60)));
        director.knowsDeploymentAfterPolls = Integer.MAX_VALUE;

        RecoveryPlan result = run(stored(PlanNames.BBR_DIRECTOR_RESTORE, "bbr-d"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("verify-restore", "does not know deployment " + DEPLOYMENT);
    }

    // ------------------------------------------------------------------ refused before any bbr command

    @Test
    void aFlippedByteInATarFailsThePlanAtVerifyArtifactAndBbrNeverRuns() throws IOException {
        flipAByte(artifact.resolve("master-1-bbr-etcd.tar"));

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.steps()).extracting(PlanStep::state)
                .containsExactly(StepState.FAILED, StepState.PENDING, StepState.PENDING);
        assertThat(result.step(0).attempts()).as("fatal: no retry").isEqualTo(1);
        assertThat(result.message()).contains("checksum mismatch", "master-1-bbr-etcd.tar",
                "refused before any bbr command ran");
        assertThat(bbr.calls).isEmpty();
        assertThat(journal.wasBegun(PLAN_ID)).isFalse();
    }

    @Test
    void anArtifactMissingAMasterIsRefused() throws IOException {
        Path two = deploymentArtifact(2);
        catalog.add(new BbrArtifactRef("bbr-2", "test", "bbr-deployment", two.toString(), NOW));

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-2"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("instance master/2 is missing from the artifact");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void anArtifactOutsideTheArtifactRootIsRefused(@TempDir Path elsewhere) throws IOException {
        Path outside = Files.createDirectories(elsewhere.resolve("x_20260101T000000Z"));
        catalog.add(new BbrArtifactRef("bbr-out", "test", "bbr-deployment", outside.toString(), NOW));
        catalog.add(new BbrArtifactRef("bbr-dots", "test", "bbr-deployment",
                root.resolve("test/../../" + elsewhere.getFileName() + "/x_20260101T000000Z").toString(), NOW));

        RecoveryPlan out = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-out"));
        RecoveryPlan dots = run(stored("plan-2", PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-dots"));

        assertThat(out.state()).isEqualTo(PlanState.FAILED);
        assertThat(out.message()).contains("outside the artifact root");
        assertThat(dots.state()).isEqualTo(PlanState.FAILED);
        assertThat(dots.message()).contains("outside the artifact root");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void anArtifactNoLongerVerifiedIsAFatalFailureSayingSo() {
        catalog.forget("bbr-1");

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(0).attempts()).isEqualTo(1);
        assertThat(result.message()).contains("bbr-1 is unknown to backup-service or no longer verified");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void aDirectorArtifactIsNotRestoredByADeploymentPlan() throws IOException {
        catalog.add(new BbrArtifactRef("bbr-d", "test", "bbr-director", directorArtifact().toString(), NOW));

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-d"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("is a bbr-director artifact", "restores bbr-deployment artifacts only");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void backupServiceUnreachableIsRetriedThenFailsWithoutTouchingAnything() {
        RecoveryPlan plan = stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1");
        catalog.down = true;

        RecoveryPlan result = run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(0).attempts()).as("unreachable is worth another try").isEqualTo(3);
        assertThat(result.message()).contains("Connection refused");
        assertThat(bbr.calls).isEmpty();
    }

    // ------------------------------------------------------------------ bbr fails

    @Test
    void aFailedRestoreRunsRestoreCleanupAndFailsThePlanWithBothOutputs() {
        bbr.answer("restore", 5, "Error attempting to run pre-restore-lock for job bbr-etcd on master/abc: boom")
                .answer("restore-cleanup", 0, "'" + DEPLOYMENT + "' cleaned up");

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(bbr.subcommands()).containsExactly("restore", "restore-cleanup");
        assertThat(bbr.calls.get(1).args()).containsSubsequence("--deployment", DEPLOYMENT, "restore-cleanup");
        assertThat(result.step(1).state()).isEqualTo(StepState.FAILED);
        assertThat(result.step(1).attempts()).as("fatal: never a second restore").isEqualTo(1);
        assertThat(result.message()).contains("exit 5: general error, lock error", "restore-cleanup ran",
                "pre-restore-lock for job bbr-etcd on master/abc: boom", "cleaned up");
        assertThat(result.step(2).state()).isEqualTo(StepState.PENDING);
    }

    @Test
    void aRestoreKilledAtItsTimeoutIsCleanedUpAndAFailedCleanupIsSaid() {
        bbr.timesOut("restore", "Running restore scripts...").answer("restore-cleanup", 16, "Unable to clean up");

        RecoveryPlan result = run(stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1"));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(bbr.subcommands()).containsExactly("restore", "restore-cleanup");
        assertThat(bbr.calls.get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(bbr.calls.get(1).timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(result.message()).contains("killed after its timeout", "restore-cleanup failed too",
                "exit 16: cleanup error", "Running restore scripts...", "Unable to clean up");
    }

    // ------------------------------------------------------------------ crash and resume

    @Test
    void aRestoreInterruptedByACrashIsCleanedUpBeforeItRunsAgain() {
        RecoveryPlan plan = stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1");
        journal.begun(PLAN_ID); // the earlier process started bbr restore, then died
        RecoveryPlan interrupted = Plans.withStates(plan, SUCCEEDED, RUNNING);
        store.insert(interrupted);

        RecoveryPlan result = run(interrupted);

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(bbr.subcommands()).containsExactly("restore-cleanup", "restore");
        assertThat(result.step(1).attempts()).isEqualTo(2);
        assertThat(result.step(1).output()).contains("artifact checked again", "interrupted: restore-cleanup ran first");
    }

    @Test
    void aResumedPlanChecksTheArtifactAgainAndRefusesOneDamagedSince() throws IOException {
        RecoveryPlan plan = stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1");
        RecoveryPlan resumed = Plans.withStates(plan, SUCCEEDED);
        store.insert(resumed);
        flipAByte(artifact.resolve("master-0-bbr-etcd.tar"));

        RecoveryPlan result = run(resumed);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("bbr-restore", "checksum mismatch", "master-0-bbr-etcd.tar");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void aFinishedRestoreIsNeverRunAgainAfterACrash() {
        RecoveryPlan plan = stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1");
        journal.begun(PLAN_ID);
        journal.finished(PLAN_ID, "restored before the crash");
        RecoveryPlan interrupted = Plans.withStates(plan, SUCCEEDED, RUNNING);
        store.insert(interrupted);

        RecoveryPlan result = run(interrupted);

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(1).state()).isEqualTo(StepState.SKIPPED);
        assertThat(result.step(1).output()).contains("restored before the crash");
        assertThat(bbr.calls).isEmpty();
    }

    @Test
    void aFailedCleanupAfterACrashStopsThePlanWithoutRestoringAgain() {
        RecoveryPlan plan = stored(PlanNames.BBR_DEPLOYMENT_RESTORE, "bbr-1");
        journal.begun(PLAN_ID);
        store.insert(Plans.withStates(plan, SUCCEEDED, RUNNING));
        bbr.answer("restore-cleanup", 17, "Unable to clean up /var/vcap/store/bbr-restore");

        RecoveryPlan result = run(store.find(PLAN_ID).orElseThrow());

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(bbr.subcommands()).containsExactly("restore-cleanup");
        assertThat(result.message()).contains("interrupted", "restore-cleanup failed", "not restoring again",
                "Unable to clean up");
    }

    // ------------------------------------------------------------------ outline

    @Test
    void theOutlineNamesTheArtifactAndOnlyTheRestoreIsDestructive() {
        BbrArtifactRef ref = new BbrArtifactRef("bbr-1", "test", "bbr-deployment", "/a/b/dep_20260101T000000Z", NOW);

        List<PlanStep> steps = BbrRestorePlan.outline(PlanNames.BBR_DEPLOYMENT_RESTORE, ref);

        assertThat(steps).extracting(PlanStep::destructive).containsExactly(false, true, false);
        assertThat(steps.get(0).description()).contains("bbr-1", "dep_20260101T000000Z");
        assertThat(steps.get(1).description()).contains("bbr deployment", "--artifact-path /a/b/dep_20260101T000000Z",
                "restore-cleanup");
        assertThat(BbrRestorePlan.outline(PlanNames.BBR_DIRECTOR_RESTORE, null).get(2).description())
                .contains("/info");
        assertThat(BbrRestorePlan.kindOf(PlanNames.BBR_DIRECTOR_RESTORE)).isEqualTo("bbr-director");
    }

    // ------------------------------------------------------------------ helpers

    private RecoveryPlan stored(String planName, String artifactId) {
        return stored(PLAN_ID, planName, artifactId);
    }

    private RecoveryPlan stored(String id, String planName, String artifactId) {
        RecoveryPlan plan = new RecoveryPlan(id, "incident-1", "test", planName, artifactId, PlanState.RUNNING,
                RecoveryMode.APPROVAL, Plans.CREATED, Plans.CREATED, Plans.DETECTED, null, "restore", 2,
                BbrRestorePlan.outline(planName, catalog.verified(artifactId).orElse(null)));
        store.insert(plan);
        return plan;
    }

    private RecoveryPlan run(RecoveryPlan plan) {
        BbrRestorePlan.Settings settings = new BbrRestorePlan.Settings(root, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofMillis(10));
        BbrRestorePlan.Ports ports = new BbrRestorePlan.Ports(catalog, new BbrArtifactVerifier(), bbr, journal, etcd,
                director);
        PlanEngine engine = new PlanEngine(store, p -> new BbrRestorePlan(p.plan(), cluster, p.id(), p.targetMember(),
                ports, settings, d -> { }, line -> { }).steps(), new PlanListener() { }, executor,
                Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
        try {
            return engine.run(plan);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path deploymentArtifact(int masters) throws IOException {
        Path dir = Files.createDirectories(root.resolve("test").resolve(DEPLOYMENT + "_2026010" + masters
                + "T000000Z"));
        StringBuilder meta = new StringBuilder(METADATA_HEAD);
        for (int i = 0; i < masters; i++) {
            Path job = Files.createDirectories(root.resolve("jobs-" + masters + "-" + i));
            Files.writeString(job.resolve("etcd-snapshot.db"), ("snapshot of master " + i).repeat(50));
            appendInstance(meta, "master", i, "bbr-etcd", Tar.create(job, dir.resolve("master-" + i + "-bbr-etcd.tar")));
        }
        Files.writeString(dir.resolve("metadata"), meta);
        return dir;
    }

    private Path directorArtifact() throws IOException {
        Path dir = Files.createDirectories(root.resolve("test").resolve("10.0.0.6_20260101T000000Z"));
        Path job = Files.createDirectories(root.resolve("director-job"));
        Files.writeString(job.resolve("director-state.json"), "{\"deployment\":\"" + DEPLOYMENT + "\"}");
        StringBuilder meta = new StringBuilder(METADATA_HEAD);
        appendInstance(meta, "bosh", 0, "director", Tar.create(job, dir.resolve("bosh-0-director.tar")));
        Files.writeString(dir.resolve("metadata"), meta);
        return dir;
    }

    private static final String METADATA_HEAD = """
            backup_activity:
              start_time: 2026/01/01 00:00:00 UTC
              finish_time: 2026/01/01 00:00:05 UTC
            instances:
            """;

    private static void appendInstance(StringBuilder meta, String name, int index, String job, Map<String, String> sums) {
        meta.append("- name: ").append(name).append("\n  index: \"").append(index).append("\"\n  artifacts:\n")
                .append("  - name: ").append(job).append("\n    checksums:\n")
                .append(sums.entrySet().stream().map(e -> "      " + e.getKey() + ": " + e.getValue() + "\n")
                        .collect(Collectors.joining()));
    }

    private static void flipAByte(Path tar) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.seek(512 + 10);
            int b = f.read();
            f.seek(512 + 10);
            f.write(b ^ 0x01);
        }
    }

    /** A director that has lost its deployment and knows it again after some polls (once restored). */
    private static final class FakeDirector implements BoshDirectorView {
        int knowsDeploymentAfterPolls;
        private int polls;

        @Override
        public String info(ClusterSpec cluster) {
            return "p-bosh 270.2.0";
        }

        @Override
        public List<String> deployments(ClusterSpec cluster) {
            return ++polls >= knowsDeploymentAfterPolls ? List.of("cf-abc", DEPLOYMENT) : List.of("cf-abc");
        }

        @Override
        public List<String> instances(ClusterSpec cluster) {
            List<String> out = new ArrayList<>(List.of("master/a", "master/b", "master/c"));
            out.add("worker/d");
            return out;
        }
    }
}
