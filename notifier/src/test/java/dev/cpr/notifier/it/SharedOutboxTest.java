package dev.cpr.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.kernel.Backoff;
import dev.cpr.kernel.Sleeper;
import dev.cpr.notifier.adapters.persistence.JdbcOutboxRows;
import dev.cpr.notifier.adapters.slack.SlackRetry;
import dev.cpr.notifier.adapters.slack.SlackWebApi;
import dev.cpr.notifier.app.OutboxSender;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackMessageTag;
import dev.cpr.notifier.domain.SlackPort;
import dev.cpr.sandbox.postgres.PostgresServer;
import dev.cpr.sandbox.slack.SimMessage;
import dev.cpr.sandbox.slack.SlackSimulator;
import dev.cpr.sandbox.testing.PostgresResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * notifier replicas sharing one Slack outbox: senders built as each replica builds its own, on the module's real
 * PostgreSQL (a database of this test's own, migrated by the service's Flyway scripts, so no running notifier sends
 * these rows) and the Slack simulator. A replica's crash is stood for by its sender thread dying between Slack's
 * answer and the mark, the one window a database transaction cannot close.
 */
class SharedOutboxTest {

    private static final String TOKEN = "xoxb-sandbox";
    private static final String CHANNEL = SlackSimulator.DEFAULT_CHANNEL_ID;
    private static final Duration AT_MOST = Duration.ofSeconds(120);
    private static final OutboxSender.Policy POLICY = new OutboxSender.Policy(Duration.ofMillis(100),
            Backoff.doubling(Duration.ofMillis(100), Duration.ofMillis(500)), Duration.ofDays(7), Duration.ofSeconds(1),
            Duration.ofMinutes(1));

    private static PGSimpleDataSource database;

    private final List<OutboxSender> senders = new ArrayList<>();
    private final List<SlackWebApi> clients = new ArrayList<>();
    private SlackSimulator slack;

    /** Thrown by a sender's after-post hook: its thread dies there, as the process would. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash between Slack's answer and the mark", null, false, false);
        }
    }

    @BeforeAll
    static void ownDatabase() throws SQLException {
        PostgresServer server = PostgresResource.server();
        String name = "notifier_shared_outbox_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        database = new PGSimpleDataSource();
        database.setUrl("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name);
        database.setUser(server.username());
        database.setPassword(server.password());
        Flyway.configure().dataSource(database).schemas("notifier").createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        // a simulated crash is an uncaught error on a sender's thread: that is the point, not a failure of the test
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void awaitilityAsItWas() {
        Awaitility.reset();
    }

    @BeforeEach
    void emptyOutboxAndSlack() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE notifier.slack_outbox, notifier.slack_message CASCADE");
        }
        slack = SlackSimulator.start(0, TOKEN, Clock.systemUTC());
    }

    @AfterEach
    void stopAll() {
        senders.forEach(OutboxSender::stop);
        clients.forEach(SlackWebApi::close);
        slack.close();
    }

    @Test
    void twoReplicasDrainTwoHundredRowsAndSlackGetsEveryMessageOnceWithEachThreadInOrder() throws SQLException {
        // given 50 threads of 4 rows each: the parent's post, a reply, two updates of the parent
        for (int i = 0; i < 50; i++) {
            long parent = message(null);
            long reply = message(parent);
            row(parent, "POST", "thread-" + i + " parent v1");
            row(reply, "POST", "thread-" + i + " reply");
            row(parent, "UPDATE", "thread-" + i + " parent v2");
            row(parent, "UPDATE", "thread-" + i + " parent v3");
        }
        Counting a = new Counting(webApi());
        Counting b = new Counting(webApi());

        // when two replicas' senders run on the same database
        sender(a, "replica-a").start();
        sender(b, "replica-b").start();

        // then every row is sent, by one of them
        await().atMost(AT_MOST).until(() -> count("state = 'SENT'") == 200);
        assertThat(count("state <> 'SENT'")).isZero();
        assertThat(a.calls.get() + b.calls.get()).as("one Slack call per row").isEqualTo(200);
        assertThat(a.calls.get()).as("replica a sent some").isPositive();
        assertThat(b.calls.get()).as("replica b sent some").isPositive();
        // and Slack holds each message once, the updates in order and each reply in its parent's thread
        List<SimMessage> all = slack.messages();
        assertThat(all).hasSize(100);
        List<SimMessage> top = all.stream().filter(SimMessage::isTopLevel).toList();
        assertThat(top).hasSize(50).allSatisfy(m -> {
            String thread = m.text().substring(0, m.text().indexOf(' '));
            assertThat(m.text()).isEqualTo(thread + " parent v3");
            assertThat(m.updates()).extracting(SimMessage.Update::text)
                    .containsExactly(thread + " parent v2", thread + " parent v3");
            assertThat(slack.replies(m.ts())).extracting(SimMessage::text).containsExactly(thread + " reply");
        });
    }

    @Test
    void aReplicaThatDiesAfterSlackTookAPostLeavesTheRowToAnotherThatFindsItInsteadOfPostingItAgain()
            throws SQLException {
        long message = message(null);
        long row = row(message, "POST", "posted just before a crash");

        OutboxSender survivor = crashAfterPostThenTakeOver(row);

        assertSentOnceWithTheOriginalTs(row, message, "posted just before a crash");
        assertThat(survivor.isSending()).isTrue();
    }

    @Test
    void aReplyPostedJustBeforeACrashIsFoundInItsThreadByTheReplicaThatTakesItOver() throws SQLException {
        SlackPort.Posted parentPost = webApi().post(CHANNEL, null, text("the parent"), "test");
        long parent = message(null);
        markPosted(parent, parentPost.ts());
        long reply = message(parent);
        long row = row(reply, "POST", "a reply posted just before a crash");

        crashAfterPostThenTakeOver(row);

        assertSentOnceWithTheOriginalTs(row, reply, "a reply posted just before a crash");
        assertThat(slack.replies(parentPost.ts())).extracting(SimMessage::text)
                .containsExactly("a reply posted just before a crash");
    }

    @Test
    void aRowWhosePostFailedIsLookedForThenPostedOnceWhenSlackDoesNotHaveIt() throws SQLException {
        long message = message(null);
        long row = row(message, "POST", "first attempt refused");
        slack.failNext(1, "internal_error");
        Counting replica = new Counting(webApi());

        sender(replica, "replica-a").start();

        await().atMost(AT_MOST).until(() -> count("state = 'SENT'") == 1);
        assertThat(replica.lookups.get()).as("the retry asked Slack first").isEqualTo(1);
        assertThat(slack.messages()).extracting(SimMessage::text).containsExactly("first attempt refused");
        assertThat(storedTs(message)).isEqualTo(slack.messages().get(0).ts());
        assertThat(attempts(row)).isEqualTo(2);
    }

    /** Replica a posts the row and dies before marking it; replica b starts and takes the row over. */
    private OutboxSender crashAfterPostThenTakeOver(long row) throws SQLException {
        int before = slack.messages().size();
        OutboxSender doomed = sender(webApi(), "replica-a");
        doomed.afterPost(() -> {
            throw new SimulatedCrash();
        });
        doomed.start();
        await().atMost(AT_MOST).until(() -> !doomed.isSending());
        assertThat(slack.messages()).as("Slack took the post").hasSize(before + 1);
        assertThat(claimOf(row)).startsWith("replica-a");
        assertThat(count("state = 'PENDING'")).isEqualTo(1);

        OutboxSender survivor = sender(webApi(), "replica-b");
        survivor.start();

        await().atMost(AT_MOST).until(() -> count("state = 'SENT'") == 1);
        return survivor;
    }

    private void assertSentOnceWithTheOriginalTs(long row, long message, String text) throws SQLException {
        List<SimMessage> withText = slack.messages().stream().filter(m -> m.text().equals(text)).toList();
        assertThat(withText).hasSize(1);
        assertThat(storedTs(message)).isEqualTo(withText.get(0).ts());
        assertThat(claimOf(row)).isNull();
        await("no second copy turns up").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                slack.messages().stream().filter(m -> m.text().equals(text)).count() == 1);
    }

    // ---------------------------------------------------------------- the replicas

    private OutboxSender sender(SlackPort port, String name) {
        OutboxSender sender = new OutboxSender(new JdbcOutboxRows(database), port, Clock.systemUTC(), POLICY, name);
        senders.add(sender);
        return sender;
    }

    private SlackWebApi webApi() {
        SlackWebApi api = new SlackWebApi(slack.apiUrl(), TOKEN,
                new SlackRetry(1, Backoff.doubling(Duration.ofMillis(50), Duration.ofMillis(100)), Duration.ofSeconds(1),
                        Sleeper.REAL));
        clients.add(api);
        return api;
    }

    /** One replica's Slack, counting the calls it made. */
    static final class Counting implements SlackPort {
        final SlackPort slack;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();

        Counting(SlackPort slack) {
            this.slack = slack;
        }

        @Override
        public Posted post(String channel, String threadTs, SlackMessage message, String context) {
            calls.incrementAndGet();
            return slack.post(channel, threadTs, message, context);
        }

        @Override
        public Posted post(String channel, String threadTs, SlackMessage message, SlackMessageTag tag, String context) {
            calls.incrementAndGet();
            return slack.post(channel, threadTs, message, tag, context);
        }

        @Override
        public void update(String channel, String ts, SlackMessage message, String context) {
            calls.incrementAndGet();
            slack.update(channel, ts, message, context);
        }

        @Override
        public boolean findsPosted() {
            return slack.findsPosted();
        }

        @Override
        public Optional<Posted> findPosted(String channel, String threadTs, SlackMessageTag tag, Instant since,
                String context) {
            lookups.incrementAndGet();
            return slack.findPosted(channel, threadTs, tag, since, context);
        }
    }

    // ---------------------------------------------------------------- the outbox, as event handling writes it

    private static SlackMessage text(String text) {
        var blocks = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text);
        return new SlackMessage(text, blocks);
    }

    private static long message(Long parentId) throws SQLException {
        return insert("INSERT INTO notifier.slack_message (cluster_id, kind, channel, parent_id, created_at, updated_at)"
                + " VALUES ('shared-outbox', 'BACKUP', ?, ?, now(), now()) RETURNING id", ps -> {
                    ps.setString(1, CHANNEL);
                    ps.setObject(2, parentId);
                });
    }

    private static long row(long messageId, String op, String text) throws SQLException {
        return insert("INSERT INTO notifier.slack_outbox (message_id, op, text, blocks, context, created_at,"
                + " next_attempt_at) VALUES (?, ?, ?, ?, 'cluster=shared-outbox', now(), now()) RETURNING id", ps -> {
                    ps.setLong(1, messageId);
                    ps.setString(2, op);
                    ps.setString(3, text);
                    ps.setString(4, text(text).blocksJson());
                });
    }

    private static void markPosted(long messageId, String ts) throws SQLException {
        insert("UPDATE notifier.slack_message SET ts = ? WHERE id = ? RETURNING id", ps -> {
            ps.setString(1, ts);
            ps.setLong(2, messageId);
        });
    }

    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static long insert(String sql, Binding binding) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binding.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(String where) throws SQLException {
        return single("SELECT count(*) FROM notifier.slack_outbox WHERE " + where, ps -> { }, rs -> rs.getLong(1));
    }

    private static String claimOf(long row) throws SQLException {
        return single("SELECT claimed_by FROM notifier.slack_outbox WHERE id = ?", ps -> ps.setLong(1, row),
                rs -> rs.getString(1));
    }

    private static int attempts(long row) throws SQLException {
        return single("SELECT attempts FROM notifier.slack_outbox WHERE id = ?", ps -> ps.setLong(1, row),
                rs -> rs.getInt(1));
    }

    private static String storedTs(long message) throws SQLException {
        return single("SELECT ts FROM notifier.slack_message WHERE id = ?", ps -> ps.setLong(1, message),
                rs -> rs.getString(1));
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T single(String sql, Binding binding, Reading<T> reading) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binding.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return reading.read(rs);
            }
        }
    }
}
