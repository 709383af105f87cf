package dev.cpr.restore.app;

import dev.cpr.restore.domain.rehearsal.Rehearsal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cpr_rehearsal_rto_seconds{cluster}}: the RTO of the cluster's last passed rehearsal (NaN before one passed),
 * and {@code cpr_rehearsals_total{cluster,verdict}}.
 */
@ApplicationScoped
public class RehearsalMetrics {

    private final MeterRegistry registry;
    /** Per cluster, the last passed rehearsal's RTO in milliseconds (-1: none yet). */
    private final Map<String, AtomicLong> lastRto = new ConcurrentHashMap<>();

    public RehearsalMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void finished(Rehearsal rehearsal) {
        registry.counter("cpr.rehearsals", "cluster", rehearsal.clusterId(), "verdict",
                rehearsal.verdict().name().toLowerCase()).increment();
        if (rehearsal.rtoMillis() != null && rehearsal.verdict() == Rehearsal.Verdict.PASSED) {
            rto(rehearsal.clusterId()).set(rehearsal.rtoMillis());
        }
    }

    private AtomicLong rto(String cluster) {
        return lastRto.computeIfAbsent(cluster, c -> {
            AtomicLong millis = new AtomicLong(-1);
            Gauge.builder("cpr.rehearsal.rto.seconds", millis, m -> m.get() < 0 ? Double.NaN : m.get() / 1000.0)
                    .description("The recovery time of the cluster's last passed quorum-restore rehearsal")
                    .tag("cluster", c).register(registry);
            return millis;
        });
    }
}
