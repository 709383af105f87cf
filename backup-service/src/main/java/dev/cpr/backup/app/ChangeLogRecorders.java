package dev.cpr.backup.app;

import dev.cpr.backup.config.ChangeLogConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps one {@link ChangeRecorder} running per cluster (with {@code cpr.changelog.enabled}). A cluster's log starts
 * after its newest verified snapshot's own revision (the drill read it from the restored snapshot, not from a read
 * made before the stream) or after its last durable revision, whichever is later; a recorder that stopped is
 * replaced by one starting after the last durable revision. After a compaction the cluster waits for a new full
 * snapshot (asked for here) whose revision is at or past the compaction.
 *
 * <p><b>A restore starts a new chain.</b> etcd 3.4 restores a snapshot at the snapshot's own revision, so after any
 * restore (a quorum restore, a bbr restore, a survivor's older data) the cluster writes again revisions the log
 * already holds, with other changes; a recorder watching past the log's end would miss them and then record the new
 * history as if it followed the old. So every look at a cluster asks etcd which cluster answers: a new etcd cluster
 * id (every restore makes one; the id a chain is recorded from is kept with its position in the catalog, so a restore
 * while this service was down is seen too) or a revision behind the log's last durable one means a restore. The
 * recorder is stopped, the catalog forgets the cluster's segments (then their files are deleted) and a full snapshot
 * is asked for; the new chain starts after the first verified snapshot taken after the restore was seen. A restore
 * to the newest point replays the log before this happens: it fetches its segments before it stops anything.
 */
@ApplicationScoped
public class ChangeLogRecorders {

    private static final Logger LOG = Logger.getLogger(ChangeLogRecorders.class);

    private final Inventory inventory;
    private final ChangeFeed feed;
    private final ArtifactStore store;
    private final ChangeLogCatalog catalog;
    private final BackupCatalog backups;
    private final BackupCoordinator coordinator;
    private final ChangeLogMetrics metrics;
    private final ChangeLogRetention retention;
    private final ChangeLogConfig config;
    private final Clock clock;
    private final Map<String, ChangeRecorder> recorders = new ConcurrentHashMap<>();
    private final Map<String, Long> waitingForSnapshotPast = new ConcurrentHashMap<>();
    /** Clusters seen restored: their new chain waits for a snapshot verified after this moment. */
    private final Map<String, Instant> newChainAfter = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public ChangeLogRecorders(Inventory inventory, ChangeFeed feed, ArtifactStore store, ChangeLogCatalog catalog,
            BackupCatalog backups, BackupCoordinator coordinator, ChangeLogMetrics metrics,
            ChangeLogRetention retention, ChangeLogConfig config, Clock clock) {
        this.inventory = inventory;
        this.feed = feed;
        this.store = store;
        this.catalog = catalog;
        this.backups = backups;
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.retention = retention;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.info("change log off (cpr.changelog.enabled=false)");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpr-changelog-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::superviseQuietly, 0, config.restartInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
        recorders.values().forEach(ChangeRecorder::stop);
        recorders.clear();
    }

    /** Starts a recorder for every cluster that has none running and can have one. */
    public void supervise() {
        for (ClusterSpec cluster : inventory.clusters()) {
            if (cluster.members().isEmpty()) {
                continue;
            }
            ChangeRecorder current = recorders.get(cluster.id());
            if (current != null && current.state() == ChangeRecorder.State.RECORDING) {
                identity(cluster).filter(now -> restored(cluster, now)).ifPresent(now -> newChain(cluster, now));
                continue;
            }
            if (current != null) {
                current.stop();
                recorders.remove(cluster.id());
            }
            startIfPossible(cluster);
        }
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (RuntimeException e) {
            LOG.errorf(e, "change log: looking at the clusters' recorders failed; tried again in %s",
                    config.restartInterval());
        }
    }

    private void startIfPossible(ClusterSpec cluster) {
        Instant restoredAt = newChainAfter.get(cluster.id());
        OptionalLong snapshot = restoredAt == null ? newestSnapshotRevision(cluster.id())
                : snapshotRevisionAfter(cluster.id(), restoredAt);
        if (snapshot.isEmpty()) {
            LOG.debugf("cluster %s: no verified snapshot yet; the change log starts after the first", cluster.id());
            return;
        }
        Optional<ChangeFeed.Identity> identity = identity(cluster);
        if (identity.isEmpty()) {
            return; // no member answers: the recorder starts once one does
        }
        if (restored(cluster, identity.get())) {
            newChain(cluster, identity.get());
            return;
        }
        Long compacted = waitingForSnapshotPast.get(cluster.id());
        if (compacted != null && snapshot.getAsLong() < compacted) {
            return; // the snapshot asked for after the compaction is not verified yet
        }
        waitingForSnapshotPast.remove(cluster.id());
        catalog.recordingFrom(cluster.id(), identity.get().etcdClusterId());
        OptionalLong durable = catalog.lastDurableRevision(cluster.id());
        long after = Math.max(snapshot.getAsLong(), durable.orElse(0));
        ChangeRecorder recorder = new ChangeRecorder(cluster, feed, store, catalog,
                new ChangeRecorder.Limits(config.segmentMaxChanges(), config.segmentMaxAge()), clock, new Outcomes());
        recorders.put(cluster.id(), recorder);
        newChainAfter.remove(cluster.id());
        recorder.start(after);
    }

    private Optional<ChangeFeed.Identity> identity(ClusterSpec cluster) {
        try {
            return Optional.of(feed.identity(cluster));
        } catch (RuntimeException e) {
            LOG.debugf("cluster %s: no member says which etcd cluster answers: %s", cluster.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Another etcd cluster id than the chain was recorded from, or a revision behind the log's end. */
    private boolean restored(ClusterSpec cluster, ChangeFeed.Identity now) {
        OptionalLong recordedFrom = catalog.etcdClusterId(cluster.id());
        if (recordedFrom.isPresent() && recordedFrom.getAsLong() != now.etcdClusterId()) {
            return true;
        }
        OptionalLong durable = catalog.lastDurableRevision(cluster.id());
        return durable.isPresent() && now.revision() < durable.getAsLong();
    }

    /** The cluster was restored: its old chain is forgotten and the next one starts after a new full snapshot. */
    private void newChain(ClusterSpec cluster, ChangeFeed.Identity now) {
        ChangeRecorder current = recorders.remove(cluster.id());
        if (current != null) {
            current.stop();
        }
        OptionalLong durable = catalog.lastDurableRevision(cluster.id());
        int forgotten = retention.forget(cluster.id()).size();
        waitingForSnapshotPast.remove(cluster.id());
        newChainAfter.put(cluster.id(), clock.instant());
        metrics.restarted(cluster.id());
        LOG.warnf("cluster %s: etcd was restored (etcd cluster id %x at revision %d; the log held revisions up to %s): "
                + "the %d segments of the old history are forgotten from the catalog and their files deleted from %s; "
                + "the change log starts again after a new full snapshot", cluster.id(), now.etcdClusterId(),
                now.revision(), durable.isPresent() ? durable.getAsLong() : "none", forgotten, store.describe());
        try {
            BackupUpdate backup = coordinator.triggerForChangeLog(cluster.id());
            LOG.infof("cluster %s: full snapshot %s started for the change log's new chain", cluster.id(),
                    backup.backupId());
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster %s: the full snapshot after the restore could not be started; the next scheduled or "
                    + "RPO snapshot starts the change log again", cluster.id());
        }
    }

    /** The revision of the newest verified etcd snapshot created at or after {@code since}. */
    private OptionalLong snapshotRevisionAfter(String clusterId, Instant since) {
        return backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT).stream()
                .filter(b -> b.revision() != null && b.createdAt() != null && !b.createdAt().isBefore(since))
                .max(Comparator.comparing(BackupUpdate::createdAt))
                .map(b -> OptionalLong.of(b.revision())).orElse(OptionalLong.empty());
    }

    /** The newest verified etcd snapshot's own revision (a drill sets it to what the restored snapshot held). */
    private OptionalLong newestSnapshotRevision(String clusterId) {
        return backups.list(clusterId, BackupStatus.VERIFIED, null, BackupKind.ETCD_V3_SNAPSHOT).stream()
                .map(BackupUpdate::revision).filter(Objects::nonNull).mapToLong(Long::longValue).max();
    }

    private final class Outcomes implements ChangeRecorder.Outcomes {

        @Override
        public void stored(dev.cpr.backup.domain.changelog.StoredSegment stored) {
            metrics.stored(stored);
        }

        @Override
        public void compacted(String clusterId, long compactRevision) {
            metrics.compacted(clusterId);
            waitingForSnapshotPast.put(clusterId, compactRevision);
            try {
                BackupUpdate backup = coordinator.triggerForChangeLog(clusterId);
                LOG.warnf("cluster %s: full snapshot %s started because the change log fell behind compaction %d",
                        clusterId, backup.backupId(), compactRevision);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cluster %s: the full snapshot after compaction %d could not be started; the next "
                        + "scheduled or RPO snapshot restarts the change log", clusterId, compactRevision);
            }
        }

        @Override
        public void broke(String clusterId, String what) {
            metrics.broke(clusterId);
        }
    }
}
