package dev.cpr.healthmonitor.app;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Polls every {@code cpr.monitor.poll-interval}; a poll still running when the next is due skips it. */
@ApplicationScoped
public class PollScheduler {

    private final Monitor monitor;

    public PollScheduler(Monitor monitor) {
        this.monitor = monitor;
    }

    @Scheduled(identity = "etcd-poll", every = "${cpr.monitor.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return monitor.pollOnce();
    }
}
