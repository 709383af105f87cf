package dev.cpr.restore.adapters.bbr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.bosh.BoshDeployment;
import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.bbr.BbrRun;
import dev.cpr.bosh.bbr.BbrRunner;
import dev.cpr.bosh.bbr.BbrTarget;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.bbr.BbrRestorePlan;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.it.BackupServiceStandIn;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeds 000 and 003 against the real world: a real 3-member etcd, the BOSH director simulator over it, the sandbox's
 * real {@code bbr} (as a process), and the plan's steps bound by the real adapters ({@link BbrRestorePlans}: the
 * runner, the artifact catalog over HTTP with backup-service's shapes, jetcd, bosh-client). Artifacts are made by
 * bbr itself ({@link BbrRunner} + {@code BbrTarget ... backup}); backup-service's catalog rows are served by
 * {@link BackupServiceStandIn}. The plans run in the domain's engine with an in-memory store (the REST and Kafka
 * path is the planner's, wired separately).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(BackupServiceStandIn.class)
@WithTestResource(SandboxBbrResource.class)
class BbrRestoreSandboxTest {

    @Inject
    BbrRestorePlans plans;

    @Inject
    Inventory inventory;

    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private EtcdCluster etcd;
    private BoshDirectorSimulator director;
    private ClusterSpec cluster;

    @BeforeEach
    void healthyClusterAndDirector() {
        etcd = EtcdResource.cluster();
        director = BoshDirectorResource.director();
        cluster = inventory.clusters().get(0);
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void quorumLostWithWalsDeletedIsRestoredFromTheArtifactWithExactlyItsKeys() throws Exception {
        etcd.putKeys("/bbr-it/before/", 500);
        long keysInArtifact = etcd.countKeys();
        String id = catalogued(backup(BbrTarget.deployment(cluster)), BbrTarget.DEPLOYMENT);
        etcd.putKeys("/bbr-it/after/", 50);
        assertThat(etcd.countKeys()).isEqualTo(keysInArtifact + 50);

        // seed 000: two of three masters fail, their WAL gone
        for (String member : List.of("etcd-2", "etcd-3")) {
            etcd.kill(member);
            etcd.deleteWal(member);
        }
        long started = System.nanoTime();
        RecoveryPlan done = run(PlanNames.BBR_DEPLOYMENT_RESTORE, id);
        System.out.printf("MEASURED bbr-deployment-restore: %s in %d ms%n", done.state(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(PlanStep::state)
                .containsExactly(StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.SUCCEEDED);
        assertThat(done.step(2).output()).contains("3/3 members healthy, one leader");
        etcd.awaitHealthy(Duration.ofSeconds(10));
        assertThat(etcd.countKeys()).isEqualTo(keysInArtifact);
        assertThat(keys("/bbr-it/after/")).as("keys written after the backup are gone").isZero();
        assertThat(keys("/bbr-it/before/")).isEqualTo(500);
    }

    @Test
    void aBitFlippedTarIsRefusedBeforeBbrRunsSoNoMasterIsLocked() throws Exception {
        Path artifact = backup(BbrTarget.deployment(cluster));
        flipAByte(artifact.resolve("master-1-bbr-etcd.tar"));
        String id = catalogued(artifact, BbrTarget.DEPLOYMENT);
        List<OptionalLong> pids = pids();

        RecoveryPlan done = run(PlanNames.BBR_DEPLOYMENT_RESTORE, id);

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.step(0).state()).isEqualTo(StepState.FAILED);
        assertThat(done.step(1).state()).isEqualTo(StepState.PENDING);
        assertThat(done.message()).contains("checksum mismatch", "master-1-bbr-etcd.tar", "no lock was taken");
        // bbr's pre-restore-lock stops every master's etcd: each one still runs as the same process
        assertThat(pids()).isEqualTo(pids).allSatisfy(p -> assertThat(p).isPresent());
        assertThat(leftOnInstances("bbr-restore")).isEmpty();
    }

    @Test
    void aRestoreBbrRefusesIsFollowedByRestoreCleanupAndFailsThePlanWithBothOutputs() throws Exception {
        String id = catalogued(backup(BbrTarget.deployment(cluster)), BbrTarget.DEPLOYMENT);
        // what an earlier restore that died half-way leaves on a master: bbr refuses to restore over it
        Path leftover = Files.createDirectories(EtcdResource.inventoryPath().resolveSibling("bosh-director")
                .resolve("vms").resolve("master-1").resolve("store").resolve("bbr-restore").resolve("bbr-etcd"));

        RecoveryPlan done = run(PlanNames.BBR_DEPLOYMENT_RESTORE, id);

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.step(1).state()).isEqualTo(StepState.FAILED);
        assertThat(done.step(1).attempts()).isEqualTo(1);
        assertThat(done.message()).contains("restore: exit 1: general error", "restore-cleanup ran", "--- restore ---",
                "already exists on instance", "--- restore-cleanup ---", "cleaned up");
        assertThat(leftover.getParent()).as("restore-cleanup removed it").doesNotExist();
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    void aDirectorThatLostItsStateListsTheDeploymentAgainAfterTheRestore() throws Exception {
        String id = catalogued(backup(BbrTarget.director(cluster)), BbrTarget.DIRECTOR);
        int scriptsBefore = director.directorScripts().size();
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(director.url(),
                director.options().client(), director.options().clientSecret()));
        director.loseState(); // seed 003: a rebuilt, empty director
        assertThat(client.deployments()).extracting(BoshDeployment::name).doesNotContain(director.deployment());

        RecoveryPlan done = run(PlanNames.BBR_DIRECTOR_RESTORE, id);

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(client.deployments()).extracting(BoshDeployment::name).contains(director.deployment());
        assertThat(client.instances(director.deployment())).hasSizeGreaterThanOrEqualTo(3);
        assertThat(director.directorScripts().subList(scriptsBefore, director.directorScripts().size()))
                .containsExactly("pre-restore-lock", "post-restore-unlock");
        assertThat(done.step(2).output()).contains("lists " + director.deployment());
    }

    @Test
    void aBitFlippedDirectorArtifactIsRefusedAndTheDirectorSawNoLockScript() throws Exception {
        Path artifact = backup(BbrTarget.director(cluster));
        flipAByte(artifact.resolve("bosh-0-director.tar"));
        String id = catalogued(artifact, BbrTarget.DIRECTOR);
        int scriptsBefore = director.directorScripts().size();

        RecoveryPlan done = run(PlanNames.BBR_DIRECTOR_RESTORE, id);

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.message()).contains("CORRUPT", "bosh-0-director.tar");
        assertThat(director.directorScripts()).as("no director job script ran for the refused restore")
                .hasSize(scriptsBefore);
    }

    // ------------------------------------------------------------------ helpers

    /** A real artifact: {@code bbr ... backup} into the artifact root, as backup-service takes one. */
    private Path backup(BbrTarget target) throws IOException {
        Path dir = Files.createDirectories(SandboxBbrResource.artifactRoot().resolve(cluster.id()));
        Set<Path> before = directories(dir);
        BbrRun run = new BbrRunner(SandboxBbrResource.LAUNCHER.toString(), SandboxBbrResource.launcherEnv(),
                Clock.systemUTC()).run(cluster.id(), target.backup(dir.toString()), target.env(), Duration.ofMinutes(2),
                line -> { });
        assertThat(run.succeeded()).as(run.text()).isTrue();
        return directories(dir).stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
    }

    /** backup-service's verified row of the artifact (the stand-in serves it; the file itself is not downloaded). */
    private String catalogued(Path artifact, String kind) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        BackupServiceStandIn.add(new BackupUpdate(id, cluster.id(), kind, BackupStatus.VERIFIED, "manual", null, null,
                null, artifact.toString(), "none", null, null, null, null, now, now, now, "bbr artifact verified", 3),
                artifact.resolve("metadata"));
        return id;
    }

    private RecoveryPlan run(String planName, String artifactId) throws InterruptedException {
        RecoveryPlan plan = new RecoveryPlan(UUID.randomUUID().toString(), null, cluster.id(), planName, artifactId,
                PlanState.RUNNING, RecoveryMode.APPROVAL, Instant.now(), Instant.now(), null, null, "test", 1,
                BbrRestorePlan.outline(planName, null));
        store.insert(plan);
        return new PlanEngine(store, p -> plans.stepsFor(p, cluster), new PlanListener() { }, executor,
                Clock.systemUTC(), d -> Thread.sleep(d.toMillis())).run(plan);
    }

    private long keys(String prefix) throws Exception {
        return etcd.client().getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).withCountOnly(true).build()).get(10, TimeUnit.SECONDS).getCount();
    }

    private List<OptionalLong> pids() {
        return etcd.members().stream().map(m -> etcd.pid(m.name())).toList();
    }

    private static Set<Path> directories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return Set.copyOf(entries.filter(Files::isDirectory).toList());
        }
    }

    private static List<Path> leftOnInstances(String name) throws IOException {
        Path vms = EtcdResource.inventoryPath().resolveSibling("bosh-director");
        try (Stream<Path> walk = Files.walk(vms)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static void flipAByte(Path tar) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.seek(512 + 100);
            int b = f.read();
            f.seek(512 + 100);
            f.write(b ^ 0xff);
        }
    }
}
