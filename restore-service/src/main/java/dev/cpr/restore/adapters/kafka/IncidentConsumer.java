package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.restore.adapters.persistence.PlanRepository;
import dev.cpr.restore.adapters.runtime.PlanMetrics;
import dev.cpr.restore.adapters.runtime.PlanRunner;
import dev.cpr.restore.domain.planner.Planner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cpr.incidents} (group {@code restore-service}). A record that is not a valid incident
 * event fails, and SmallRye sends it to {@code cpr.incidents.dlq.restore-service}; the consumer carries
 * on. For an {@code IncidentOpened} the planner decides; a new plan is stored in one transaction and the
 * returned Uni completes (and the offset is committed) only after that commit. Idempotent: a redelivered
 * incident finds its plan by incident id and does nothing.
 */
@ApplicationScoped
public class IncidentConsumer {

    private static final Logger LOG = Logger.getLogger(IncidentConsumer.class);

    private final Planner planner;
    private final PlanRepository repository;
    private final PlanRunner runner;
    private final PlanMetrics metrics;
    private final Clock clock;

    public IncidentConsumer(Inventory inventory, PlanRepository repository, PlanRunner runner, PlanMetrics metrics,
            Clock clock) {
        this.planner = new Planner(inventory);
        this.repository = repository;
        this.runner = runner;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Incoming("incidents")
    public Uni<Void> consume(String value) {
        CloudEvent event;
        IncidentOpened incident;
        try {
            event = EventCodec.decode(value);
            if (!EventTypes.INCIDENT_OPENED.equals(event.type())) {
                LOG.debugf("event %s of type %s: nothing to do", event.id(), event.type());
                return Uni.createFrom().voidItem();
            }
            incident = EventCodec.data(event, IncidentOpened.class);
        } catch (MalformedEventException e) {
            LOG.warnf("refused a record of cpr.incidents (to the dead-letter topic): %s", e.getMessage());
            metrics.incident("malformed");
            return Uni.createFrom().failure(e);
        }
        String tag = "[cluster=" + incident.clusterId() + " incident=" + incident.incidentId() + " event=" + event.id() + "]";
        Planner.Planning planning = planner.plan(incident, UUID.randomUUID().toString(), clock.instant());
        if (planning instanceof Planner.Skip skip) {
            if (skip.warning()) {
                LOG.warnf("%s no plan: %s", tag, skip.reason());
            } else {
                LOG.infof("%s no plan: %s", tag, skip.reason());
            }
            metrics.incident("skipped");
            return Uni.createFrom().voidItem();
        }
        Planner.Create create = (Planner.Create) planning;
        return repository.create(create.plan())
                .onFailure(IncidentConsumer::isUniqueViolation).recoverWithItem(e -> {
                    LOG.infof("%s a concurrent replica stored a plan for this incident or cluster first", tag);
                    return null;
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3)
                .invoke(created -> handle(tag, create, created))
                .replaceWithVoid();
    }

    private void handle(String tag, Planner.Create create, PlanRepository.Created created) {
        if (created instanceof PlanRepository.Stored stored) {
            LOG.infof("%s plan %s %s for %s stored as %s", tag, stored.plan().id(), stored.plan().plan(),
                    stored.plan().targetMember(), stored.plan().state());
            if (!create.waiting().isEmpty()) {
                LOG.infof("%s one member at a time: %s wait for a later plan", tag, create.waiting());
            }
            metrics.incident("planned");
            runner.launch(stored.plan());
        } else if (created instanceof PlanRepository.Duplicate duplicate) {
            LOG.infof("%s already handled by plan %s (redelivery)", tag, duplicate.existingPlanId());
            metrics.incident("duplicate");
        } else if (created instanceof PlanRepository.ClusterBusy busy) {
            LOG.warnf("%s plan %s is still active on the cluster: one plan at a time, no new plan",
                    tag, busy.activePlanId());
            metrics.incident("cluster-busy");
        } else {
            metrics.incident("conflict");
        }
    }

    /** PostgreSQL unique_violation (23505) anywhere in the cause chain. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (text.contains("23505") || text.contains("duplicate key value")) {
                return true;
            }
        }
        return false;
    }
}
