package dev.cpr.healthmonitor.app;

import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * The one incident tracker both polls (etcd and BOSH) decide with, so one open incident per cluster and kind holds
 * (MEMBER_UNHEALTHY: per cluster and members, see {@link dev.cpr.healthmonitor.domain.IncidentTracker}).
 */
@ApplicationScoped
public class TrackerProducer {

    @Produces
    @Singleton
    IncidentTracker tracker(MonitorConfig config) {
        return new IncidentTracker(config.debouncePolls(), config.silentQuorumGrace(),
                () -> UUID.randomUUID().toString());
    }
}
