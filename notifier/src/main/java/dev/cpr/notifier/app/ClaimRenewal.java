package dev.cpr.notifier.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps a sender's claim on the row it is working on alive: a Slack call with its retries (a 429's Retry-After, a
 * timeout) can outlast a lease, and a lease that ran out mid-call would let another replica take the row and post it
 * too. Renews every third of the lease on a thread of its own; a sender that dies stops renewing, which is what lets
 * the others take its row over.
 */
final class ClaimRenewal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClaimRenewal.class);

    private final OutboxRows rows;
    private final String owner;
    private final Clock clock;
    private final Duration lease;
    private final ScheduledExecutorService timer;
    private volatile Long held;

    ClaimRenewal(OutboxRows rows, String owner, Clock clock, Duration lease) {
        this.rows = rows;
        this.owner = owner;
        this.clock = clock;
        this.lease = lease;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slack-outbox-claims");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    void hold(long rowId) {
        held = rowId;
    }

    void release() {
        held = null;
    }

    private void renew() {
        Long id = held;
        if (id == null) {
            return;
        }
        try {
            // the row may have been marked (and its claim released) since it was read: only a held row is news
            if (!rows.renew(id, owner, clock.instant().plus(lease)) && id.equals(held)) {
                LOG.warnf("Slack outbox row %d: the claim of %s could not be renewed (taken over or done)", id, owner);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Slack outbox row %d: renewing the claim of %s failed: %s", id, owner, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
