package dev.cpr.platform.outbox;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.kernel.Backoff;
import dev.cpr.platform.events.EventRecords;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Publishes the rows of a service's outbox table and marks them published: one daemon thread that drains the table,
 * then waits for {@link #wake()} or the poll interval, and backs off ({@link Backoff}) while publishing fails.
 * <p>
 * A pass claims the oldest pending rows in one transaction with {@code FOR UPDATE SKIP LOCKED}, so two replicas never
 * hold the same row, and with a transaction-scoped advisory lock per record key, so a replica never takes a key whose
 * earlier rows another replica is still sending: each cluster's events leave in the order they were written. It sends
 * them in that order, each until the broker acknowledges it, marks each sent row, and stops the pass at the first
 * failure (a later row of the same key must not overtake it).
 * <p>
 * Delivery is at least once: a relay that dies after the broker took a record and before its mark commits sends the
 * row again on the next pass, with the same CloudEvent id. Consumers de-duplicate on that id or are idempotent.
 * <p>
 * The gauge {@code cpr.outbox.backlog} (tag {@code service}) is the number of rows not yet published, counted at the
 * start of each pass (and so also while Kafka is down and the relay backs off).
 * <p>
 * Published rows are kept for {@link Settings#retention()} (a record of what left, and when) and then deleted by the
 * relay, at most once per {@link Settings#pruneEvery()}, a small batch per statement so no delete holds many locks
 * for long. Rows not yet published are never deleted, however old.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    public static final String BACKLOG_GAUGE = "cpr.outbox.backlog";
    /** Rows deleted per statement when pruning: small, so a delete never holds many row locks for long. */
    static final int PRUNE_BATCH = 500;

    /**
     * How the relay paces itself.
     *
     * @param retention  how long a published row is kept before the relay deletes it
     * @param pruneEvery how often the relay looks for published rows past their retention
     */
    public record Settings(Duration pollInterval, int batchSize, Backoff backoff, Duration retention,
            Duration pruneEvery) {

        public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
        public static final Duration DEFAULT_PRUNE_EVERY = Duration.ofMinutes(1);

        public static final Settings DEFAULT = new Settings(Duration.ofMillis(500), 100,
                Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(10)));

        /** With the default retention (7 days) and pruning cadence (every minute). */
        public Settings(Duration pollInterval, int batchSize, Backoff backoff) {
            this(pollInterval, batchSize, backoff, DEFAULT_RETENTION, DEFAULT_PRUNE_EVERY);
        }

        /** These settings, published rows kept for {@code retention} ({@code cpr.outbox.retention}). */
        public Settings withRetention(Duration retention) {
            return new Settings(pollInterval, batchSize, backoff, retention, pruneEvery);
        }

        public Settings {
            if (retention == null || retention.isNegative()) {
                throw new IllegalArgumentException("outbox retention must be zero or more, got " + retention);
            }
            if (pruneEvery == null || pruneEvery.isNegative() || pruneEvery.isZero()) {
                throw new IllegalArgumentException("outbox prune interval must be positive, got " + pruneEvery);
            }
            if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("outbox poll interval must be positive, got " + pollInterval);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("outbox batch size must be at least 1, got " + batchSize);
            }
            if (backoff == null) {
                throw new IllegalArgumentException("outbox backoff is required");
            }
        }
    }

    /** A claimed row. */
    record Pending(long seq, String eventId, String topic, String eventType, String cloudEvent) {
    }

    private final String service;
    private final DataSource dataSource;
    private final OutboxSender sender;
    private final Settings settings;
    private final String count;
    private final String claim;
    private final String markPublished;
    private final String markFailed;
    private final String prune;
    private final AtomicLong backlog = new AtomicLong();
    private final MeterRegistry registry;
    private final Gauge backlogGauge;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean paused;

    public OutboxRelay(String service, OutboxTable table, DataSource dataSource, OutboxSender sender,
            MeterRegistry registry, Settings settings) {
        this.service = service;
        this.dataSource = dataSource;
        this.sender = sender;
        this.settings = settings;
        String t = table.qualifiedName();
        this.count = "select count(*) from " + t + " where published_at is null";
        this.claim = "select seq, event_id, topic, event_type, cloud_event from " + t
                + " where published_at is null and pg_try_advisory_xact_lock(hashtext(record_key))"
                + " order by seq limit ? for update skip locked";
        this.markPublished = "update " + t + " set published_at = now(), attempts = attempts + 1, last_error = null"
                + " where seq = ?";
        this.markFailed = "update " + t + " set attempts = attempts + 1, last_error = ? where seq = ?";
        this.prune = "delete from " + t + " where seq in (select seq from " + t
                + " where published_at < now() - make_interval(secs => ?) order by seq limit ?)";
        this.registry = registry;
        // removed again on close: a registry outlives an application restarted in the same JVM (tests), and a second
        // registration under the same name and tags would return the closed relay's gauge
        this.backlogGauge = Gauge.builder(BACKLOG_GAUGE, backlog, AtomicLong::get)
                .description("events written to the outbox and not yet published to Kafka")
                .tag("service", service)
                .strongReference(true)
                .register(registry);
    }

    /** Starts the relay's thread; it drains what is pending at once (what a crash left behind, too). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::loop, "cpr-outbox-relay-" + service);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Something was just committed to the outbox: look now rather than at the next poll. */
    public void wake() {
        wakeups.release();
    }

    /**
     * FOR TESTS: a paused relay sends nothing (as if the process died after the commit and before the publish); the
     * rows wait in the table until {@link #resume()}.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    /** Rows not yet published, as of the latest pass. */
    public long backlog() {
        return backlog.get();
    }

    @Override
    public synchronized void close() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
        registry.remove(backlogGauge);
    }

    private void loop() {
        int failures = 0;
        long nextPrune = System.nanoTime();
        while (thread == Thread.currentThread()) {
            if (!paused && System.nanoTime() - nextPrune >= 0) {
                nextPrune = System.nanoTime() + settings.pruneEvery().toNanos();
                pruneQuietly();
            }
            try {
                int sent = paused ? refreshBacklog() : drainOnce();
                if (failures > 0 && !paused) {
                    LOG.infof("outbox of %s: publishing again after %d failed passes", service, failures);
                }
                failures = paused ? failures : 0;
                if (sent == 0 || paused) {
                    wakeups.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                Duration delay = settings.backoff().delayAfter(failures);
                LOG.warnf("outbox of %s: %d events wait; pass %d failed (%s), next try in %d ms", service,
                        backlog.get(), failures, e.getMessage(), delay.toMillis());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Deletes the rows published longer than the retention ago, {@link #PRUNE_BATCH} per statement, until none is
     * left. Pending rows stay.
     *
     * @return how many rows it deleted
     */
    public int pruneOnce() throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(prune)) {
            c.setAutoCommit(true);
            s.setDouble(1, settings.retention().toMillis() / 1000.0);
            s.setInt(2, PRUNE_BATCH);
            int deleted;
            do {
                deleted = s.executeUpdate();
                total += deleted;
            } while (deleted == PRUNE_BATCH && !Thread.currentThread().isInterrupted());
        }
        return total;
    }

    private void pruneQuietly() {
        try {
            int deleted = pruneOnce();
            if (deleted > 0) {
                LOG.debugf("outbox of %s: %d published rows older than %s deleted", service, deleted,
                        settings.retention());
            }
        } catch (SQLException | RuntimeException e) {
            // publishing goes on; the rows are deleted on a later try
            LOG.warnf("outbox of %s: deleting published rows older than %s failed: %s", service,
                    settings.retention(), e.getMessage());
        }
    }

    private int refreshBacklog() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            backlog.set(count(c));
        }
        return 0;
    }

    /**
     * One pass: publishes the pending rows this relay can claim, in order, and marks them.
     *
     * @return how many it published
     * @throws OutboxPublishFailed when a send failed (the rows sent before it are marked)
     */
    public int drainOnce() throws SQLException, OutboxPublishFailed {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                backlog.set(count(c));
                c.commit();
                List<Pending> batch = claim(c);
                int sent = 0;
                OutboxPublishFailed failure = null;
                for (Pending row : batch) {
                    try {
                        sender.send(row.topic(), EventRecords.message(row.topic(), EventCodec.decode(row.cloudEvent())));
                    } catch (Exception e) {
                        failure = new OutboxPublishFailed("event " + row.eventId() + " (" + row.eventType() + ") to "
                                + row.topic() + " was not acknowledged: " + e.getMessage(), e);
                        update(c, markFailed, String.valueOf(e.getMessage()), row.seq());
                        break;
                    }
                    update(c, markPublished, null, row.seq());
                    sent++;
                }
                c.commit();
                backlog.addAndGet(-sent);
                if (failure != null) {
                    throw failure;
                }
                return sent;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private long count(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(count); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Pending> claim(Connection c) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(claim)) {
            s.setInt(1, settings.batchSize());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return rows;
    }

    private static void update(Connection c, String sql, String error, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (error != null) {
                s.setString(i++, error);
            }
            s.setLong(i, seq);
            s.executeUpdate();
        }
    }

    /** A pass stopped because the broker did not take an event. */
    public static final class OutboxPublishFailed extends Exception {
        public OutboxPublishFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
