package dev.cpr.notifier.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.kernel.Backoff;
import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackMessageTag;
import dev.cpr.notifier.domain.SlackPort;
import dev.cpr.platform.replica.ReplicaConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Sends {@code slack_outbox} rows to Slack, one at a time on a thread of its own (it blocks on Slack anyway), beside
 * the senders of the other replicas on the same database. Each row is claimed first ({@link OutboxRows#claimNext}):
 * no two senders work on one row, and a row waits for the earlier rows of its thread, which keeps a thread readable
 * (a reply after its parent, so the parent's ts is known; the updates of a message in the order their events came).
 * <ul>
 *   <li>Slack took it: the message's channel/ts/thread_ts and the row's {@code SENT} are committed together.</li>
 *   <li>Slack unreachable, 5xx, rate limited, a transient error (after the client's own retries): the row stays
 *       {@code PENDING}, its next attempt is pushed back (capped exponential backoff), and nothing behind it in its
 *       thread is sent before it.</li>
 *   <li>Slack refused it for good (bad blocks, unknown channel): {@code FAILED} with the error, the next row goes.</li>
 *   <li>An update of a message Slack no longer has ({@code message_not_found}) posts it again in its thread.</li>
 * </ul>
 * Slack has no idempotency key for {@code chat.postMessage}, so every post carries its row's {@link SlackMessageTag}
 * as message metadata. A row that went to Slack before and was never marked (its sender died after Slack took it, or
 * the answer was lost) is first looked for in the channel or thread from its first attempt on; when Slack has it,
 * the row is marked with that message's ts instead of being posted again. Updates need no such care:
 * {@code chat.update} sets the same content however often it is repeated.
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);

    /** How a sender paces itself, claims and looks back. */
    public record Policy(Duration pollInterval, Backoff backoff, Duration keepSent, Duration claimLease,
            Duration historyMargin) {

        static Policy of(SlackSettings.Outbox outbox) {
            return new Policy(outbox.pollInterval(), Backoff.doubling(outbox.initialBackoff(), outbox.maxBackoff()),
                    outbox.keepSent(), outbox.claimLease(), outbox.historyMargin());
        }
    }

    private final OutboxRows rows;
    private final SlackPort slack;
    private final Clock clock;
    private final Policy policy;
    private final String owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private volatile Runnable afterPost = () -> { };
    private Instant lastSweep = Instant.EPOCH;
    private boolean woken;
    private volatile boolean running;
    private Thread thread;
    private ClaimRenewal renewal;

    @Inject
    OutboxSender(OutboxRows rows, SlackPort slack, Clock clock, SlackSettings settings, ReplicaConfig replica,
            MeterRegistry registry) {
        // unique per start: a restarted replica must not mistake its dead predecessor's claims for its own
        this(rows, slack, clock, Policy.of(settings.outbox()),
                replica.idOrRandom("notifier") + "/" + UUID.randomUUID().toString().substring(0, 8));
        Gauge.builder("cpr.notifier.outbox.pending", this, OutboxSender::pending)
                .description("Slack messages written but not yet taken by Slack").register(registry);
    }

    /** A sender named {@code owner} in its claims (a replica of its own, as far as the outbox can tell). */
    public OutboxSender(OutboxRows rows, SlackPort slack, Clock clock, Policy policy, String owner) {
        this.rows = rows;
        this.slack = slack;
        this.clock = clock;
        this.policy = policy;
        this.owner = owner;
    }

    void onStart(@Observes StartupEvent startup) {
        start();
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        stop();
    }

    public synchronized void start() {
        running = true;
        renewal = new ClaimRenewal(rows, owner, clock, policy.claimLease());
        thread = new Thread(this::run, "slack-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (renewal != null) {
            renewal.close();
        }
    }

    /** Whether the sending thread is alive (a sender that crashed is not). */
    public boolean isSending() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /**
     * Runs {@code hook} after Slack took a post and before the row is marked: the window a crash would leave a message
     * sent and its row pending. Fault tests stand a crash there; otherwise it does nothing.
     */
    public void afterPost(Runnable hook) {
        afterPost = hook;
    }

    /** Something was queued: look now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Rows not sent yet, for the health check and the gauge. */
    public long pending() {
        return rows.pending();
    }

    private void run() {
        LOG.infof("Slack outbox sender %s started", owner);
        while (running) {
            Duration wait;
            try {
                wait = sendNext();
            } catch (RuntimeException e) {
                LOG.errorf("Slack outbox: %s; trying again in %d ms", e.toString(), policy.pollInterval().toMillis());
                wait = policy.pollInterval();
            }
            if (wait != null) {
                await(wait);
            }
        }
    }

    private void await(Duration wait) {
        lock.lock();
        try {
            if (!woken && running) {
                signal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Claims and sends one row; returns how long to wait before looking again (null: at once). */
    private Duration sendNext() {
        Instant now = clock.instant();
        Optional<OutboxRow> claimed = rows.claimNext(owner, now, now.plus(policy.claimLease()));
        if (claimed.isEmpty()) {
            sweep(now);
            return policy.pollInterval();
        }
        OutboxRow row = claimed.get();
        renewal.hold(row.id());
        try {
            return send(row);
        } finally {
            renewal.release();
        }
    }

    /** Null: look for the next row at once; else Slack pushed back and the sender waits that long before it does. */
    private Duration send(OutboxRow row) {
        SlackMessage message = new SlackMessage(row.text(), (ArrayNode) readBlocks(row.blocks()));
        String ctx = row.context() + " outbox=" + row.id();
        try {
            if ("POST".equals(row.op())) {
                String channel = row.parentTs() != null ? row.parentChannel() : row.channel();
                SlackPort.Posted posted = postOnce(row, channel, row.parentTs(), message, ctx);
                marked(row, rows.markSent(row.id(), row.messageId(), owner, posted.channel(), posted.ts(),
                        row.parentTs(), clock.instant()), posted.ts(), ctx);
            } else if (row.ts() == null) {
                if (slack.updatesInPlace()) {
                    rows.finish(row.id(), owner, "SKIPPED", "the message has no ts (its post never reached Slack)",
                            clock.instant());
                    LOG.infof("Slack update skipped: the message was never posted to Slack (%s)", ctx);
                } else {
                    slack.update(row.channel(), null, message, ctx);
                    rows.finish(row.id(), owner, "SENT", null, clock.instant());
                }
            } else {
                update(row, message, ctx);
            }
        } catch (SlackDeliveryException e) {
            if (e.retryable()) {
                Duration retryIn = policy.backoff().delayAfter(row.attempts() + 1);
                rows.postpone(row.id(), owner, e.getMessage(), clock.instant().plus(retryIn));
                LOG.warnf("Slack did not take outbox row %d (attempt %d): %s; it and the rest of its thread wait %d ms"
                        + " (%s)", row.id(), row.attempts() + 1, e.getMessage(), retryIn.toMillis(), ctx);
                // other threads' rows would meet the same outage or rate limit: pause before the next claim too
                return retryIn.compareTo(policy.pollInterval()) < 0 ? retryIn : policy.pollInterval();
            }
            rows.finish(row.id(), owner, "FAILED", e.getMessage(), clock.instant());
            LOG.errorf("Slack refused outbox row %d for good, dropped: %s (%s)", row.id(), e.getMessage(), ctx);
        }
        return null;
    }

    private void update(OutboxRow row, SlackMessage message, String ctx) {
        try {
            slack.update(row.channel(), row.ts(), message, ctx);
            rows.finish(row.id(), owner, "SENT", null, clock.instant());
        } catch (SlackDeliveryException e) {
            if (!"message_not_found".equals(e.error())) {
                throw e;
            }
            LOG.warnf("message %s is gone from Slack, posting it again (%s)", row.ts(), ctx);
            SlackPort.Posted posted = postOnce(row, row.channel(), row.parentTs(), message, ctx);
            marked(row, rows.markSent(row.id(), row.messageId(), owner, posted.channel(), posted.ts(), row.parentTs(),
                    clock.instant()), posted.ts(), ctx);
        }
    }

    /** Posts the row's message unless Slack already has it from an earlier attempt at the same row. */
    private SlackPort.Posted postOnce(OutboxRow row, String channel, String threadTs, SlackMessage message,
            String ctx) {
        SlackMessageTag tag = new SlackMessageTag(row.id(), row.messageId());
        if (row.attemptedBefore()) {
            Optional<SlackPort.Posted> earlier = earlierPost(row, channel, threadTs, tag, ctx);
            if (earlier.isPresent()) {
                LOG.infof("Slack already has outbox row %d as ts=%s (taken before a crash or a lost answer): marked,"
                        + " not posted again (%s)", row.id(), earlier.get().ts(), ctx);
                return earlier.get();
            }
        }
        SlackPort.Posted posted = slack.post(channel, threadTs, message, tag, ctx);
        LOG.infof("Slack message posted ts=%s thread=%s (%s)", posted.ts(), threadTs, ctx);
        afterPost.run();
        return posted;
    }

    private Optional<SlackPort.Posted> earlierPost(OutboxRow row, String channel, String threadTs,
            SlackMessageTag tag, String ctx) {
        if (!slack.findsPosted()) {
            LOG.warnf("outbox row %d went to Slack before and this delivery cannot read Slack back: posting it again,"
                    + " it may show twice (%s)", row.id(), ctx);
            return Optional.empty();
        }
        Instant since = row.attemptedAt().minus(policy.historyMargin());
        try {
            return slack.findPosted(channel, threadTs, tag, since, ctx);
        } catch (SlackDeliveryException e) {
            if (e.retryable()) {
                throw e; // Slack cannot tell now: the row waits, as if the post had failed
            }
            // e.g. a channel configured by name (the history methods take ids only) or a token without history scopes
            LOG.warnf("Slack cannot tell whether outbox row %d is already posted (%s): posting it, it may show twice"
                    + " (%s)", row.id(), e.getMessage(), ctx);
            return Optional.empty();
        }
    }

    private void marked(OutboxRow row, boolean marked, String ts, String ctx) {
        if (!marked) {
            LOG.warnf("outbox row %d was taken over by another sender before %s could mark it; Slack has it as ts=%s"
                    + " and the row is the other sender's now (%s)", row.id(), owner, ts, ctx);
        }
    }

    private static JsonNode readBlocks(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored blocks are not JSON: " + e.getMessage(), e);
        }
    }

    /** Deletes sent and skipped rows older than {@code keepSent}, at most once an hour, when there is nothing to send. */
    private void sweep(Instant now) {
        if (Duration.between(lastSweep, now).compareTo(Duration.ofHours(1)) < 0) {
            return;
        }
        lastSweep = now;
        int deleted = rows.deleteDone(now.minus(policy.keepSent()));
        if (deleted > 0) {
            LOG.infof("Slack outbox: %d sent rows older than %s deleted", deleted, policy.keepSent());
        }
    }
}
