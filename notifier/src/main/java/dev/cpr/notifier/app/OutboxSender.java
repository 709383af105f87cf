package dev.cpr.notifier.app;

import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.kernel.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cpr.contracts.events.EventCodec;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Sends {@code slack_outbox} rows to Slack one at a time, strictly in id order, on one thread of its own (over
 * JDBC: it blocks on Slack anyway). Order is what keeps a thread readable: a reply is sent after its parent (so the
 * parent's ts is known), and the updates of a message in the order their events came.
 * <ul>
 *   <li>Slack took it: the message's channel/ts/thread_ts and the row's {@code SENT} are committed together.</li>
 *   <li>Slack unreachable, 5xx, rate limited, a transient error (after the client's own retries): the row stays
 *       {@code PENDING}, its next attempt is pushed back (capped exponential backoff), and nothing behind it is
 *       sent before it: when Slack returns, everything goes out in order.</li>
 *   <li>Slack refused it for good (bad blocks, unknown channel): {@code FAILED} with the error, and the next row goes.</li>
 *   <li>An update of a message Slack no longer has ({@code message_not_found}) posts it again in its thread.</li>
 * </ul>
 * Known window: a crash after Slack took a message and before the commit sends it once more at restart (Slack has
 * no idempotency key for {@code chat.postMessage}). One sender per database is assumed (one notifier instance).
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);
    private static final String S = "notifier.";

    private final AgroalDataSource dataSource;
    private final SlackPort slack;
    private final Clock clock;
    private final Duration pollInterval;
    private final Backoff backoff;
    private final Duration keepSent;
    private Instant lastSweep = Instant.EPOCH;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    OutboxSender(AgroalDataSource dataSource, SlackPort slack, Clock clock, SlackSettings settings,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.keepSent = settings.outbox().keepSent();
        Gauge.builder("cpr.notifier.outbox.pending", this, OutboxSender::pending)
                .description("Slack messages written but not yet taken by Slack").register(registry);
        this.slack = slack;
        this.clock = clock;
        this.pollInterval = settings.outbox().pollInterval();
        this.backoff = Backoff.doubling(settings.outbox().initialBackoff(), settings.outbox().maxBackoff());
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "slack-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    private void run() {
        LOG.info("Slack outbox sender started");
        while (running) {
            Duration wait;
            try {
                wait = sendNext();
            } catch (SQLException | RuntimeException e) {
                LOG.errorf("Slack outbox: %s; trying again in %d ms", e.toString(), pollInterval.toMillis());
                wait = pollInterval;
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

    private record Row(long id, long messageId, String op, String text, String blocks, String context, int attempts,
            Instant nextAttemptAt, String channel, String ts, String parentChannel, String parentTs) {
    }

    /** Sends the oldest pending row if it is due; returns how long to wait before looking again (null: at once). */
    private Duration sendNext() throws SQLException {
        Row row = next();
        if (row == null) {
            sweep();
            return pollInterval;
        }
        Instant now = clock.instant();
        if (row.nextAttemptAt().isAfter(now)) {
            Duration due = Duration.between(now, row.nextAttemptAt());
            return due.compareTo(pollInterval) < 0 ? due : pollInterval;
        }
        SlackMessage message = new SlackMessage(row.text(), (ArrayNode) readBlocks(row.blocks()));
        String ctx = row.context() + " outbox=" + row.id();
        try {
            if ("POST".equals(row.op())) {
                String channel = row.parentTs() != null ? row.parentChannel() : row.channel();
                SlackPort.Posted posted = slack.post(channel, row.parentTs(), message, ctx);
                recordSent(row, posted.channel(), posted.ts(), row.parentTs());
                LOG.infof("Slack message posted ts=%s thread=%s (%s)", posted.ts(), row.parentTs(), ctx);
            } else if (row.ts() == null) {
                if (slack.updatesInPlace()) {
                    finish(row.id(), "SKIPPED", "the message has no ts (its post never reached Slack)");
                    LOG.infof("Slack update skipped: the message was never posted to Slack (%s)", ctx);
                } else {
                    slack.update(row.channel(), null, message, ctx);
                    finish(row.id(), "SENT", null);
                }
            } else {
                update(row, message, ctx);
            }
            return null;
        } catch (SlackDeliveryException e) {
            if (e.retryable()) {
                Duration retryIn = backoff.delayAfter(row.attempts() + 1);
                postpone(row.id(), e.getMessage(), now.plus(retryIn));
                LOG.warnf("Slack did not take outbox row %d (attempt %d): %s; it and everything after it wait %d ms (%s)",
                        row.id(), row.attempts() + 1, e.getMessage(), retryIn.toMillis(), ctx);
                return retryIn.compareTo(pollInterval) < 0 ? retryIn : pollInterval;
            }
            finish(row.id(), "FAILED", e.getMessage());
            LOG.errorf("Slack refused outbox row %d for good, dropped: %s (%s)", row.id(), e.getMessage(), ctx);
            return null;
        }
    }

    private void update(Row row, SlackMessage message, String ctx) throws SQLException {
        try {
            slack.update(row.channel(), row.ts(), message, ctx);
            finish(row.id(), "SENT", null);
        } catch (SlackDeliveryException e) {
            if (!"message_not_found".equals(e.error())) {
                throw e;
            }
            LOG.warnf("message %s is gone from Slack, posting it again (%s)", row.ts(), ctx);
            SlackPort.Posted posted = slack.post(row.channel(), row.parentTs(), message, ctx);
            recordSent(row, posted.channel(), posted.ts(), row.parentTs());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readBlocks(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored blocks are not JSON: " + e.getMessage(), e);
        }
    }

    private Row next() throws SQLException {
        String sql = "SELECT o.id, o.message_id, o.op, o.text, o.blocks, o.context, o.attempts, o.next_attempt_at,"
                + " m.channel, m.ts, p.channel AS parent_channel, p.ts AS parent_ts"
                + " FROM " + S + "slack_outbox o JOIN " + S + "slack_message m ON m.id = o.message_id"
                + " LEFT JOIN " + S + "slack_message p ON p.id = m.parent_id"
                + " WHERE o.state = 'PENDING' ORDER BY o.id LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Row(rs.getLong("id"), rs.getLong("message_id"), rs.getString("op"), rs.getString("text"),
                    rs.getString("blocks"), rs.getString("context"), rs.getInt("attempts"),
                    rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("channel"), rs.getString("ts"),
                    rs.getString("parent_channel"), rs.getString("parent_ts"));
        }
    }

    private void recordSent(Row row, String channel, String ts, String threadTs) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement m = c.prepareStatement("UPDATE " + S + "slack_message SET channel = COALESCE(?, channel),"
                    + " ts = ?, thread_ts = ? WHERE id = ?");
                    PreparedStatement o = c.prepareStatement("UPDATE " + S + "slack_outbox SET state = 'SENT',"
                            + " attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ?")) {
                m.setString(1, channel);
                m.setString(2, ts);
                m.setString(3, threadTs);
                m.setLong(4, row.messageId());
                m.executeUpdate();
                o.setTimestamp(1, Timestamp.from(clock.instant()));
                o.setLong(2, row.id());
                o.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void finish(long id, String state, String error) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + S
                + "slack_outbox SET state = ?, attempts = attempts + 1, done_at = ?, last_error = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, error);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    private void postpone(long id, String error, Instant next) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + S
                + "slack_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setTimestamp(2, Timestamp.from(next));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** Deletes sent and skipped rows older than {@code keepSent}, at most once an hour, when there is nothing to send. */
    private void sweep() throws SQLException {
        Instant now = clock.instant();
        if (Duration.between(lastSweep, now).compareTo(Duration.ofHours(1)) < 0) {
            return;
        }
        lastSweep = now;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + S
                + "slack_outbox WHERE state IN ('SENT', 'SKIPPED') AND done_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(keepSent)));
            int deleted = ps.executeUpdate();
            if (deleted > 0) {
                LOG.infof("Slack outbox: %d sent rows older than %s deleted", deleted, keepSent);
            }
        }
    }

    /** Rows not sent yet, for the health check and the gauge. */
    public long pending() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + S + "slack_outbox WHERE state = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
