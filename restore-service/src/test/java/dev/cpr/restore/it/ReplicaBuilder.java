package dev.cpr.restore.it;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.restore.adapters.persistence.DeferredIncidentRepository;
import dev.cpr.restore.adapters.persistence.PanacheDeferredIncidents;
import dev.cpr.restore.app.PlanMetrics;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.app.PlanRunner;
import dev.cpr.restore.app.Recoveries;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Builds a restore-service replica's planning ({@link Recoveries}) over an inventory of the test's own, as a
 * (re)start builds it: its own objects, nothing carried over in memory but the database it shares with the service.
 */
@ApplicationScoped
public class ReplicaBuilder {

    @Inject
    SnapshotCatalog snapshots;
    @Inject
    BbrArtifactCatalog artifacts;
    @Inject
    RestoreConfig config;
    @Inject
    PlanRecords store;
    @Inject
    PlanRunner runner;
    @Inject
    PlanMetrics metrics;
    @Inject
    Clock clock;
    @Inject
    MemberSurveyor surveyor;

    public Recoveries replica(Inventory inventory) {
        return replica(inventory, surveyor);
    }

    /** A replica whose planner looks at the members through this surveyor (one that acts while it surveys, say). */
    public Recoveries replica(Inventory inventory, MemberSurveyor surveyor) {
        return new Recoveries(inventory, snapshots, artifacts, config, store,
                new PanacheDeferredIncidents(new DeferredIncidentRepository()), runner, metrics, clock, surveyor);
    }
}
