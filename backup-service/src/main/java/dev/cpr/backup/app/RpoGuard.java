package dev.cpr.backup.app;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.backup.domain.rpo.RpoWatch;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Checks every cluster with an RPO (inventory {@code backup.rpo}, else {@code cpr.backup.rpo."<id>"}) every
 * {@code cpr.backup.rpo-check-interval}. A breach sets {@code cpr_backup_rpo_breached{cluster}} to 1 and starts a
 * backup at once (trigger {@code rpo}; see {@link RpoWatch} for when it is not retried). Once the breach is real (the
 * newest verified backup is older than the RPO, or there has been none for longer than the RPO since start-up) an
 * {@code IncidentOpened} with {@link FailureKind#BACKUP_RPO_BREACHED} goes to {@code cpr.incidents}; the id
 * {@code backup-rpo-<cluster>-<epoch second the RPO ran out>} is the same on every replica, one open per cluster.
 * The first verified backup of that cluster resolves it ({@code IncidentResolved}). For a {@code kind: bosh} cluster a
 * verified {@code bbr-deployment} backup counts as much as a verified snapshot (a director backup does not), and the
 * backup it starts is a bbr deployment backup.
 */
@ApplicationScoped
public class RpoGuard {

    private static final Logger LOG = Logger.getLogger(RpoGuard.class);

    private final BackupPolicies policies;
    private final BackupCatalog catalog;
    private final BackupCoordinator coordinator;
    private final BackupTargets targets;
    private final BbrBackups bbr;
    private final BackupMetrics metrics;
    private final RpoIncidents incidents;
    private final Clock clock;
    private final RpoWatch watch;
    private final Instant startedAt;
    private final Map<String, IncidentOpened> open = new ConcurrentHashMap<>();

    public RpoGuard(BackupPolicies policies, BackupConfig config, BackupCatalog catalog, BackupCoordinator coordinator,
            BackupTargets targets, Drills drills, BbrBackups bbr, BackupMetrics metrics, RpoIncidents incidents, Clock clock) {
        this.policies = policies;
        this.bbr = bbr;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.targets = targets;
        this.metrics = metrics;
        this.incidents = incidents;
        this.clock = clock;
        this.watch = new RpoWatch(config.rpoRetryAfter());
        this.startedAt = clock.instant();
        drills.onVerified(this::verified);
    }

    /** True when at least one cluster has an RPO (then the periodic check is scheduled). */
    public boolean hasWork() {
        return policies.all().stream().anyMatch(p -> p.rpo().isPresent());
    }

    public void checkAll() {
        for (ClusterBackupPolicy policy : policies.all()) {
            policy.rpo().ifPresent(rpo -> {
                try {
                    check(policy.clusterId(), rpo);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cluster %s: RPO check failed", policy.clusterId());
                }
            });
        }
    }

    /** The RPO incident open for a cluster, if any. */
    public Optional<IncidentOpened> openIncident(String clusterId) {
        return Optional.ofNullable(open.get(clusterId));
    }

    private void check(String clusterId, Duration rpo) {
        // a director backup holds no etcd data: only snapshots and bbr deployment backups keep the RPO
        List<BackupUpdate> backups = catalog.list(clusterId, null).stream()
                .filter(b -> BackupKind.fromWire(b.kind()).countsForRpo()).toList();
        Optional<Instant> newestVerified = backups.stream().filter(b -> b.status() == BackupStatus.VERIFIED)
                .map(BackupUpdate::createdAt).findFirst();
        Optional<Instant> lastAttempt = backups.stream().map(BackupUpdate::createdAt).findFirst();
        Instant now = clock.instant();
        RpoWatch.Decision decision = watch.check(rpo, newestVerified, lastAttempt, startedAt, now);
        metrics.rpoBreached(clusterId, decision.breached());
        if (!decision.breached()) {
            resolve(clusterId, now);
            return;
        }
        LOG.warnf("cluster %s: RPO breached: %s", clusterId, decision.reason());
        if (decision.incident() && !open.containsKey(clusterId)) {
            IncidentOpened incident = new IncidentOpened(decision.incidentId(clusterId), clusterId,
                    FailureKind.BACKUP_RPO_BREACHED, List.of(), List.of(),
                    FailureKind.BACKUP_RPO_BREACHED.label() + ": " + decision.reason(), decision.breachedSince(), now);
            open.put(clusterId, incident);
            incidents.opened(incident);
            LOG.warnf("cluster %s incident %s: opened (%s)", clusterId, incident.incidentId(), incident.summary());
        }
        if (decision.attempt()) {
            // a bosh cluster's routine backup is a bbr deployment backup (which falls back to a snapshot itself)
            if (BackupKind.routineFor(targets.cluster(clusterId)) == BackupKind.BBR_DEPLOYMENT) {
                // a deployment backup may run for hours: a second one would only fail on bbr's lock
                boolean running = backups.stream().anyMatch(b -> b.status() == BackupStatus.IN_PROGRESS
                        && BackupKind.BBR_DEPLOYMENT.wire().equals(b.kind()));
                if (running) {
                    LOG.infof("cluster %s: a bbr deployment backup is still in progress; not starting another", clusterId);
                } else {
                    bbr.start(clusterId, BackupKind.BBR_DEPLOYMENT, BackupCoordinator.RPO, null);
                }
            } else {
                coordinator.triggerForRpo(clusterId);
            }
        }
    }

    private void verified(BackupUpdate backup) {
        resolve(backup.clusterId(), clock.instant());
    }

    private void resolve(String clusterId, Instant now) {
        IncidentOpened incident = open.remove(clusterId);
        if (incident != null) {
            incidents.resolved(new IncidentResolved(incident.incidentId(), clusterId, incident.failure(),
                    incident.detectedAt(), now));
            LOG.infof("cluster %s incident %s: resolved: a verified backup is within the RPO again", clusterId,
                    incident.incidentId());
        }
    }
}
