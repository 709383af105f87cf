package dev.cpr.healthmonitor.app;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Polls every {@code cpr.monitor.poll-interval}; a poll still running when the next is due skips it. */
@ApplicationScoped
public class PollScheduler {

    private final Monitor monitor;
    private final BoshMonitor boshMonitor;

    private final SlowChecks slowChecks;
    private final ClusterOwnership ownership;
    private final MonitorMetrics metrics;

    public PollScheduler(Monitor monitor, BoshMonitor boshMonitor, SlowChecks slowChecks, ClusterOwnership ownership,
            MonitorMetrics metrics) {
        this.ownership = ownership;
        this.metrics = metrics;
        this.monitor = monitor;
        this.boshMonitor = boshMonitor;
        this.slowChecks = slowChecks;
    }

    /**
     * This replica's cluster leases: renewed, free clusters taken up to its fair share; then the per-cluster gauges
     * follow what it holds (a lease that ran out without a round's success counts too: {@code owned()} reads expiry).
     */
    @Scheduled(identity = "cluster-leases", every = "${cpr.monitor.lease.renew-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> renewLeases() {
        return ownership.renew().invoke(() -> metrics.export(ownership.owned()));
    }

    /** The members' KV hashes and quotas, on a slower schedule, blocking on a worker thread. */
    @Scheduled(identity = "etcd-hash-check", every = "${cpr.monitor.hash-check.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkHashes() {
        slowChecks.checkAll();
    }

    @Scheduled(identity = "etcd-poll", every = "${cpr.monitor.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return monitor.pollOnce();
    }

    /** The BOSH directors of {@code kind: bosh} clusters, on their own schedule (a hanging director never delays etcd). */
    @Scheduled(identity = "bosh-poll", every = "${cpr.monitor.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pollBosh() {
        return boshMonitor.pollOnce();
    }
}
