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

    public PollScheduler(Monitor monitor, BoshMonitor boshMonitor, SlowChecks slowChecks) {
        this.monitor = monitor;
        this.boshMonitor = boshMonitor;
        this.slowChecks = slowChecks;
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
