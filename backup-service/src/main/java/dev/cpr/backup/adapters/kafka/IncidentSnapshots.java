package dev.cpr.backup.adapters.kafka;

import dev.cpr.backup.app.BackupCoordinator;
import dev.cpr.backup.app.BackupRequestRefused;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.incident.SafetySnapshotRule;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.platform.events.EventContext;
import dev.cpr.platform.events.EventInbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code cpr.incidents} (channel {@code incidents}) and takes a safety snapshot when an incident opens with
 * quorum intact. At most one per incident across replicas and redeliveries (the catalog's unique key on cluster +
 * incident); the offset is committed once the in-progress entry is stored. A record that is not a valid event
 * fails here and goes to {@code cpr.incidents.dlq.backup-service}.
 */
@ApplicationScoped
public class IncidentSnapshots {

    private static final Logger LOG = Logger.getLogger(IncidentSnapshots.class);

    private final BackupCoordinator coordinator;
    private final SafetySnapshotRule rule;
    private final Clock clock;
    private final dev.cpr.backup.app.BackupPolicies policies;
    private final EventInbox inbox;

    public IncidentSnapshots(BackupCoordinator coordinator, dev.cpr.backup.app.BackupPolicies policies, BackupConfig config,
            Clock clock) {
        this.coordinator = coordinator;
        this.policies = policies;
        this.rule = new SafetySnapshotRule(config.incidentSnapshot().maxAge());
        this.clock = clock;
        EventInbox.Builder inbox = EventInbox.of(Topics.INCIDENTS, "backup-service");
        // switched off, an opened incident is a type with nothing to do: the record is still checked as an event
        if (config.incidentSnapshot().enabled()) {
            inbox.onBlocking(EventTypes.INCIDENT_OPENED, IncidentOpened.class, this::onOpened);
        }
        this.inbox = inbox.build();
    }

    @Incoming("incidents")
    @Blocking
    public void onIncident(String value) {
        inbox.accept(value);
    }

    private void onOpened(IncidentOpened incident, EventContext context) {
        if (policies.of(incident.clusterId()).map(p -> !p.incidentSnapshot()).orElse(false)) {
            LOG.infof("cluster %s incident %s: no safety snapshot: the inventory says backup.incident-snapshot: false",
                    incident.clusterId(), incident.incidentId());
            return;
        }
        SafetySnapshotRule.Decision decision = rule.decide(incident, clock.instant());
        if (!decision.snapshot()) {
            LOG.infof("cluster %s incident %s: no safety snapshot: %s", incident.clusterId(), incident.incidentId(),
                    decision.reason());
            return;
        }
        try {
            coordinator.triggerForIncident(incident.clusterId(), incident.incidentId());
        } catch (BackupRequestRefused e) {
            LOG.warnf("cluster %s incident %s: no safety snapshot: %s", incident.clusterId(), incident.incidentId(),
                    e.getMessage());
        }
    }
}
