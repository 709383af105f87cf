package dev.cpr.backup.app;

import dev.cpr.backup.adapters.etcd.ClusterVersions;
import dev.cpr.backup.adapters.etcd.SnapshotVerifier;
import dev.cpr.backup.adapters.kafka.BackupEvents;
import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.backup.adapters.etcd.V2KeyspaceExporter;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.backup.domain.snapshot.Sha256OutputStream;
import dev.cpr.backup.domain.v2.V2Export;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.retention.RetainedBackup;
import dev.cpr.backup.domain.retention.RetentionPolicy;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.cpr.backup.adapters.bbr.BbrConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The life of a backup: start (catalog row, event) → snapshot on a job thread → completed or failed →
 * restore drill → verified or corrupt → retention. Every state change is written to the catalog first
 * and then published on {@code cpr.backups}.
 */
@ApplicationScoped
public class BackupCoordinator {

    public static final String MANUAL = "manual";
    public static final String SCHEDULED = "scheduled";
    public static final String INCIDENT = "incident";
    public static final String RPO = "rpo";
    /** The store's "cluster" directory for uploaded copies being checked (deleted right after). */
    static final String CHECKS = "_checks";

    private static final Logger LOG = Logger.getLogger(BackupCoordinator.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Inventory inventory;
    private final Catalog catalog;
    private final BackupEvents events;
    private final SnapshotTaker taker;
    private final SnapshotVerifier verifier;
    private final ArtifactStore store;
    private final BackupMetrics metrics;
    private final BackupConfig config;
    private final Clock clock;
    private final ExecutorService jobs;
    private final BackupPolicies policies;
    private final V2KeyspaceExporter v2Exporter;
    @Inject
    ClusterVersions versions;
    private final List<Consumer<BackupUpdate>> verifiedListeners = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> activeChecks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Where bbr artifact directories live: only directories under it are ever deleted with their row. */
    private final Path bbrRoot;

    public BackupCoordinator(Inventory inventory, BackupPolicies policies, Catalog catalog, BackupEvents events,
            SnapshotTaker taker, SnapshotVerifier verifier, ArtifactStore store, BackupMetrics metrics, BackupConfig config,
            BbrConfig bbrConfig, Clock clock) {
        this.inventory = inventory;
        this.bbrRoot = Path.of(bbrConfig.artifactPath()).toAbsolutePath().normalize();
        this.policies = policies;
        this.v2Exporter = new V2KeyspaceExporter(config.snapshot().streamTimeout());
        this.catalog = catalog;
        this.events = events;
        this.taker = taker;
        this.verifier = verifier;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.jobs = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cpr-backup-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Told of every backup a drill verified, and of every verified BBR backup (the RPO guard resolves its incident). */
    public void onVerified(Consumer<BackupUpdate> listener) {
        verifiedListeners.add(listener);
    }

    /** A BBR backup was verified by checksum: the same listeners as a drilled snapshot's. */
    public void bbrVerified(BackupUpdate backup) {
        verifiedListeners.forEach(l -> l.accept(backup));
    }

    @PreDestroy
    void shutdown() {
        jobs.shutdownNow();
    }

    /** A backup because the cluster's newest verified backup is older than its RPO. */
    public BackupUpdate triggerForRpo(String clusterId) {
        return start(cluster(clusterId), compression(clusterId, null), RPO, null, null).orElseThrow();
    }

    /**
     * The etcd snapshot a BBR deployment backup falls back to when a master is down (seed 001): same trigger as the
     * bbr backup, no slot (the bbr row holds it); cataloged, drilled and published as any other snapshot.
     */
    public BackupUpdate triggerFallback(String clusterId, String trigger) {
        return start(cluster(clusterId), compression(clusterId, null), trigger, null, null).orElseThrow();
    }

    /** A manual backup: recorded in-progress now, taken in the background. */
    public BackupUpdate trigger(String clusterId, String compression) {
        ClusterSpec cluster = cluster(clusterId);
        Compression how = compression(clusterId, compression);
        return start(cluster, how, MANUAL, null, null).orElseThrow();
    }

    /**
     * A scheduled backup for one cron slot. Empty when another replica already took this slot (the catalog's
     * unique key on cluster + slot decides).
     */
    public Optional<BackupUpdate> triggerScheduled(String clusterId, Instant slot) {
        Optional<BackupUpdate> started = start(cluster(clusterId), compression(clusterId, null), SCHEDULED, slot, null);
        if (started.isEmpty()) {
            LOG.infof("cluster %s: the scheduled backup of %s was already taken by another replica", clusterId, slot);
        }
        return started;
    }

    /**
     * The safety snapshot of an incident (taken while quorum still holds). Empty when this incident already has one
     * (a redelivered event, or another replica read it first).
     */
    public Optional<BackupUpdate> triggerForIncident(String clusterId, String incidentId) {
        Optional<BackupUpdate> started = start(cluster(clusterId), compression(clusterId, null), INCIDENT, null, incidentId);
        if (started.isEmpty()) {
            LOG.infof("cluster %s incident %s: the safety snapshot was already started", clusterId, incidentId);
        }
        return started;
    }

    private Optional<BackupUpdate> start(ClusterSpec cluster, Compression compression, String trigger, Instant slot,
            String incidentId) {
        Optional<BackupUpdate> started = catalog.start(cluster.id(), trigger, compression.wire(), slot, incidentId);
        started.ifPresent(backup -> {
            events.publish(backup);
            LOG.infof("cluster %s backup %s: %s snapshot started", cluster.id(), backup.backupId(), trigger);
            jobs.execute(() -> {
                try {
                    run(cluster, backup, compression);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cluster %s backup %s: the backup job failed", cluster.id(), backup.backupId());
                }
            });
        });
        return started;
    }

    private void run(ClusterSpec cluster, BackupUpdate started, Compression compression) {
        UUID id = UUID.fromString(started.backupId());
        String label = "cluster " + cluster.id() + " backup " + id;
        Instant begin = clock.instant();
        TakenSnapshot taken;
        try {
            String fileName = cluster.id() + "-" + FILE_TIME.format(started.createdAt()) + "-" + id.toString().substring(0, 8);
            taken = taker.take(cluster, fileName, compression, member -> events.publish(catalog.memberChosen(id, member)));
        } catch (SnapshotFailedException e) {
            LOG.errorf("%s: failed: %s", label, e.getMessage());
            metrics.snapshot(cluster.id(), "failed", Duration.between(begin, clock.instant()));
            events.publish(catalog.failed(id, e.member(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: failed unexpectedly", label);
            events.publish(catalog.failed(id, null, "unexpected: " + e));
            return;
        }
        V2Export v2 = null;
        if (policy(cluster.id()).v2Data() && hasV2Store(cluster, label)) {
            try {
                v2 = v2Exporter.export(cluster, cluster.member(taken.member()).orElseThrow(), store,
                        locationName(taken.location()) + ".v2.json");
                LOG.infof("%s: v2 keyspace exported from %s: %d keys, %d bytes, sha256 %s", label, taken.member(),
                        v2.keyCount(), v2.sizeBytes(), v2.sha256());
            } catch (SnapshotFailedException e) {
                LOG.errorf("%s: failed: %s", label, e.getMessage());
                deleteQuietly(taken.location());
                metrics.snapshot(cluster.id(), "failed", Duration.between(begin, clock.instant()));
                events.publish(catalog.failed(id, e.member(), e.getMessage()));
                return;
            }
        }
        metrics.snapshot(cluster.id(), "completed", taken.duration());
        metrics.size(cluster.id(), taken.sizeBytes());
        BackupUpdate completed = catalog.completed(id, taken, v2);
        events.publish(completed);
        LOG.infof("%s: completed from %s: %d bytes at revision %d (%d keys) in %d ms, sha256 %s", label, taken.member(),
                taken.sizeBytes(), taken.before().revision(), taken.before().keyCount(), taken.duration().toMillis(),
                taken.sha256());
        if (config.drill().onEverySnapshot()) {
            drill(completed);
            applyRetention(cluster.id());
        }
    }

    /** Runs a restore drill now (blocking) and returns the updated entry. */
    public BackupUpdate verify(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> ProblemException.notFound("no backup " + id));
        refuseBbr(backup, "restore drills are for etcd snapshots; a bbr artifact's checksums were verified when it was "
                + "taken");
        if (!backup.status().hasArtifact()) {
            throw ProblemException.conflict("backup " + id + " is " + backup.status().wire() + ": there is nothing to drill");
        }
        return drill(backup);
    }

    private BackupUpdate drill(BackupUpdate backup) {
        refuseBbr(backup, "restore drills are for etcd snapshots");
        UUID id = UUID.fromString(backup.backupId());
        String label = "cluster " + backup.clusterId() + " backup " + id;
        DrillExpectation expected = catalog.expectation(id)
                .orElseThrow(() -> ProblemException.conflict("backup " + id + " has no recorded revision to compare with"));
        DrillResult result = verifier.drill(label, backup.location(), Compression.fromWire(backup.compression()), expected,
                inventory.cluster(backup.clusterId()).orElse(null));
        if (result.verdict() == DrillResult.Verdict.VERIFIED) {
            Optional<V2Export> v2 = catalog.v2(id);
            if (v2.isPresent()) {
                Optional<String> v2Problem = checkV2(v2.get());
                if (v2Problem.isPresent()) {
                    result = DrillResult.corrupt(result.detail() + "; but the v2 export " + v2Problem.get(), result.duration());
                } else {
                    result = new DrillResult(result.verdict(), result.detail() + "; v2 export intact (" + v2.get().keyCount()
                            + " keys)", result.restoredRevision(), result.restoredKeyCount(), result.duration());
                }
            }
        }
        metrics.drill(backup.clusterId(), result);
        BackupUpdate drilled = catalog.drilled(id, result);
        events.publish(drilled);
        switch (result.verdict()) {
            case VERIFIED -> {
                metrics.verified(drilled);
                verifiedListeners.forEach(l -> l.accept(drilled));
                LOG.infof("%s: verified in %d ms: %s", label, result.duration().toMillis(), result.detail());
            }
            case CORRUPT -> LOG.errorf("%s: CORRUPT: %s", label, result.detail());
            case INCONCLUSIVE -> LOG.warnf("%s: drill inconclusive: %s", label, result.detail());
        }
        return drilled;
    }

    /** False (and said once per backup) when the cluster runs an etcd without the v2 store (3.6): nothing to export. */
    private boolean hasV2Store(ClusterSpec cluster, String label) {
        Optional<EtcdVersion> version = versions.read(cluster);
        if (version.isPresent() && !EtcdTools.hasV2Store(version.get())) {
            LOG.warnf("%s: v2 export skipped: %s (backup.v2-data is set for this cluster)", label,
                    EtcdTools.noV2Note(version.get()));
            return false;
        }
        return true;
    }

    /** Empty when the v2 export's stored bytes are the cataloged ones, else what is wrong. */
    private Optional<String> checkV2(V2Export v2) {
        try (InputStream in = store.open(v2.location())) {
            Sha256OutputStream hashed = new Sha256OutputStream(OutputStream.nullOutputStream());
            in.transferTo(hashed);
            String sha = hashed.hex();
            if (!sha.equals(v2.sha256())) {
                return Optional.of(v2.location() + " has sha256 " + sha + ", the catalog recorded " + v2.sha256());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(v2.location() + " cannot be read: " + e);
        }
    }

    /**
     * Checks an uploaded copy of backup {@code id}'s artifact (e.g. one that was downloaded, moved and is about to be
     * restored) exactly as the backup's own drill would: it is stored as a scratch artifact, then the same
     * {@link SnapshotVerifier} drill runs against the catalog's record of {@code id} (stored sha256, etcd's trailing
     * sha256, {@code snapshot restore}, a scratch etcd, revision and key count). The catalog entry is not changed; the
     * scratch artifact is always deleted.
     */
    public DrillResult checkCopy(UUID id, InputStream copy) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> ProblemException.notFound("no backup " + id));
        refuseBbr(backup, "only an etcd snapshot's copy can be checked by a restore drill");
        DrillExpectation expected = catalog.expectation(id)
                .orElseThrow(() -> ProblemException.conflict("backup " + id + " is " + backup.status().wire()
                        + ": it has no recorded revision to check a copy against"));
        Compression compression = Compression.fromWire(backup.compression());
        String location = CHECKS + "/check-" + UUID.randomUUID() + compression.extension();
        activeChecks.add(location);
        try (ArtifactStore.PendingArtifact pending = store.begin(CHECKS, location.substring(CHECKS.length() + 1))) {
            try (OutputStream out = pending.output()) {
                copy.transferTo(out);
            }
            pending.commit();
        } catch (IOException e) {
            activeChecks.remove(location);
            throw new IllegalStateException("cannot store the uploaded copy of backup " + id + ": " + e.getMessage(), e);
        }
        try {
            DrillResult result = verifier.drill("cluster " + backup.clusterId() + " backup " + id + " (uploaded copy)", location,
                    compression, expected);
            LOG.infof("cluster %s backup %s: uploaded copy is %s: %s", backup.clusterId(), id, result.verdict(), result.detail());
            return result;
        } finally {
            deleteQuietly(location);
            activeChecks.remove(location);
        }
    }

    /**
     * Deletes uploaded copies left in the store by a check that never finished (the process stopped mid-drill);
     * returns how many.
     */
    public int sweepChecks() {
        int swept = 0;
        try {
            for (String location : store.list(CHECKS)) {
                if (!activeChecks.contains(location) && store.delete(location)) {
                    LOG.warnf("deleted %s, an uploaded copy left by a check that never finished", location);
                    swept++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("could not sweep uploaded copies under %s: %s", CHECKS, e.getMessage());
        }
        return swept;
    }

    /** Deletes the artifact and the catalog entry. */
    public void delete(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> ProblemException.notFound("no backup " + id));
        if (backup.status() == BackupStatus.IN_PROGRESS) {
            throw ProblemException.conflict("backup " + id + " is still in progress");
        }
        remove(backup, "deleted on request");
    }

    /**
     * Applies the configured retention policy to one cluster's backups, each kind on its own: keeping seven backups
     * keeps seven snapshots AND seven deployment artifacts, and the newest verified of each kind is never deleted.
     */
    public List<BackupUpdate> applyRetention(String clusterId) {
        Optional<RetentionPolicy> policy = policy(clusterId).retention();
        if (policy.isEmpty()) {
            return List.of();
        }
        List<BackupUpdate> removed = new java.util.ArrayList<>();
        for (BackupKind kind : BackupKind.values()) {
            List<BackupUpdate> all = catalog.list(clusterId, null, null, kind);
            List<String> expired = policy.get().expired(all.stream()
                            .map(b -> new RetainedBackup(b.backupId(), b.createdAt(), b.status())).toList(), clock.instant())
                    .stream().map(RetainedBackup::id).toList();
            all.stream().filter(b -> expired.contains(b.backupId())).forEach(b -> {
                remove(b, "expired by retention " + policy.get());
                removed.add(b);
            });
        }
        return removed;
    }

    private void remove(BackupUpdate backup, String why) {
        if (BackupKind.isBbr(backup.kind())) {
            if (backup.location() != null) {
                deleteBbrArtifact(backup);
            }
            catalog.delete(UUID.fromString(backup.backupId()));
            LOG.infof("cluster %s backup %s: %s (%s %s)", backup.clusterId(), backup.backupId(), why, backup.kind(),
                    backup.status().wire());
            return;
        }
        catalog.v2(UUID.fromString(backup.backupId())).ifPresent(v2 -> deleteQuietly(v2.location()));
        if (backup.location() != null) {
            try {
                store.delete(backup.location());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + backup.location() + ": " + e.getMessage(), e);
            }
        }
        catalog.delete(UUID.fromString(backup.backupId()));
        LOG.infof("cluster %s backup %s: %s (%s)", backup.clusterId(), backup.backupId(), why, backup.status().wire());
    }

    /**
     * Deletes a bbr row's artifact directory, but only one under {@code cpr.backup.bbr.artifact-path}: a location
     * anywhere else (an edited row, a changed setting) is left alone and logged, never deleted recursively.
     */
    private void deleteBbrArtifact(BackupUpdate backup) {
        Path dir = Path.of(backup.location()).toAbsolutePath().normalize();
        if (!dir.startsWith(bbrRoot) || dir.equals(bbrRoot)) {
            LOG.errorf("cluster %s backup %s: its artifact %s is not under the bbr artifact path %s: not deleted",
                    backup.clusterId(), backup.backupId(), dir, bbrRoot);
            return;
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalStateException("cannot delete the bbr artifact " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void refuseBbr(BackupUpdate backup, String why) {
        if (BackupKind.isBbr(backup.kind())) {
            throw ProblemException.conflict("backup " + backup.backupId() + " is a " + backup.kind() + " backup (an "
                    + "artifact directory at " + backup.location() + "): " + why);
        }
    }

    public ClusterSpec cluster(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            throw ProblemException.badRequest("Bad request", "'cluster' is required");
        }
        return inventory.cluster(clusterId).orElseThrow(() -> ProblemException.badRequest("Bad request", "unknown cluster '" + clusterId
                + "'; the inventory has " + inventory.clusters().stream().map(ClusterSpec::id).toList()));
    }

    /** The effective backup policy of an inventory cluster (inventory first, then config). */
    public ClusterBackupPolicy policy(String clusterId) {
        cluster(clusterId);
        return policies.of(clusterId).orElseThrow();
    }

    private void deleteQuietly(String location) {
        try {
            store.delete(location);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("could not delete the artifact %s: %s", location, e.getMessage());
        }
    }

    /** {@code <cluster>/<name>.db[.gz]} -> {@code <name>} */
    private static String locationName(String location) {
        String file = location.substring(location.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private Compression compression(String clusterId, String requested) {
        if (requested == null) {
            return policy(clusterId).compression();
        }
        try {
            return Compression.fromWire(requested);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Bad request", e.getMessage());
        }
    }


}
