package dev.cpr.restore.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The quorum restore's runbook through {@link PlanEngine} with the real adapters (local node control, jetcd,
 * etcdctl/etcdutl), approved already, the plan store in memory and the catalog serving a local snapshot file; with a
 * point in time, stored as {@code etcd-point-in-time-restore} with its target.
 */
public final class QuorumRestoreRun {

    private QuorumRestoreRun() {
    }

    public static RecoveryPlan run(ClusterSpec spec, SnapshotRef ref, Path file, long bump,
            EtcdQuorumRestorePlan.PointInTime point, Path snapshotDir) throws Exception {
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshotDir,
                Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(2),
                Duration.ofSeconds(30), "etcdctl", "etcdutl", List.of(), bump);
        InMemoryPlanStore store = new InMemoryPlanStore();
        Instant now = Instant.now();
        Long target = point == null ? null : point.targetRevision();
        RecoveryPlan plan = new RecoveryPlan(UUID.randomUUID().toString(), "incident-pitr", spec.id(),
                point == null ? PlanNames.ETCD_QUORUM_RESTORE : PlanNames.ETCD_POINT_IN_TIME_RESTORE, null,
                PlanState.RUNNING, RecoveryMode.APPROVAL, now, now, now, null, "approved", 2,
                EtcdQuorumRestorePlan.outline(spec, ref, target)).withSnapshot(ref).withTargetRevision(target);
        store.insert(plan);
        SnapshotCatalog catalog = oneSnapshot(ref, file);
        ExecutorService steps = Executors.newCachedThreadPool();
        JetcdEtcdAdmin etcdAdmin = new JetcdEtcdAdmin(null, Duration.ofSeconds(5), Duration.ofSeconds(2));
        try {
            PlanEngine engine = new PlanEngine(store, p -> new EtcdQuorumRestorePlan(spec, p.id(), p.snapshot(), point,
                    catalog, etcdAdmin, new LocalNodeControl(), settings, Sleeper.REAL).steps(), new PlanListener() { },
                    steps, Clock.systemUTC(), Sleeper.REAL);
            return engine.run(plan);
        } finally {
            steps.shutdownNow();
            etcdAdmin.close();
        }
    }

    /** backup-service's catalog holding one verified snapshot, downloaded as a copy of the file. */
    public static SnapshotCatalog oneSnapshot(SnapshotRef ref, Path file) {
        return new SnapshotCatalog() {
            @Override
            public Optional<SnapshotRef> newestVerified(String clusterId) {
                return Optional.of(ref);
            }

            @Override
            public Optional<SnapshotRef> verified(String snapshotId) {
                return Optional.of(ref);
            }

            @Override
            public long download(String snapshotId, Path target) {
                try {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    return Files.size(target);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
