package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.PlannedOutage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tells the incident tracker while a plan of cpr's own stops a cluster's members ({@link PlanNames#STOP_EVERY_MEMBER}):
 * CI21 saw a point-in-time restore's {@code stop-members} confirmed as QUORUM_LOST within a second, an incident and a
 * Slack alert for what the operator had just approved. Every replica reads {@code cpr.recoveries} for itself, since
 * any of them may hold the cluster's lease next; one started while such a plan runs learns of it at the plan's next
 * step.
 */
@ApplicationScoped
public class PlannedOutages {

    private static final Logger LOG = Logger.getLogger(PlannedOutages.class);

    private final IncidentTracker tracker;
    private final Clock clock;
    private final boolean enabled;
    private final Duration hold;

    public PlannedOutages(IncidentTracker tracker, Clock clock, MonitorConfig config) {
        this.tracker = tracker;
        this.clock = clock;
        this.enabled = config.plannedOutage().enabled();
        this.hold = config.plannedOutage().hold();
    }

    /** The plan holding the cluster's member and quorum incidents now, if one does. */
    public Optional<PlannedOutage> current(String clusterId) {
        return tracker.outage(clusterId, clock.instant());
    }

    /** One published state of a plan. */
    public void onUpdate(RecoveryUpdate update) {
        if (!enabled || !PlanNames.STOP_EVERY_MEMBER.contains(update.plan())) {
            return;
        }
        Instant now = clock.instant();
        String tag = "cluster=" + update.clusterId() + " plan=" + update.planId();
        boolean held = tracker.outage(update.clusterId(), now).filter(o -> o.planId().equals(update.planId()))
                .isPresent();
        if (update.state() == PlanState.RUNNING) {
            Instant until = (update.updatedAt() == null ? now : update.updatedAt()).plus(hold);
            if (!until.isAfter(now)) {
                return; // an update older than the hold: its plan has said nothing since
            }
            tracker.outageBegins(new PlannedOutage(update.clusterId(), update.planId(), update.plan(), until));
            if (!held) {
                LOG.infof("%s %s runs and stops the cluster's members: no member or quorum incident opens for them "
                        + "until it ends (or %s passes without an update of it)", tag, update.plan(), hold);
            }
        } else if (update.state().isFinal()) {
            tracker.outageEnds(update.clusterId(), update.planId());
            if (held) {
                LOG.infof("%s %s ended %s: the cluster's members are judged again", tag, update.plan(),
                        update.state());
            }
        }
    }
}
