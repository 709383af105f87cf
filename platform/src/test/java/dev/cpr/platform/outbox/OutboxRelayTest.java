package dev.cpr.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.kernel.Backoff;
import dev.cpr.sandbox.testing.PostgresResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against a real PostgreSQL: each test has an outbox table of its own. */
class OutboxRelayTest {

    private static final OutboxRelay.Settings FAST = new OutboxRelay.Settings(Duration.ofMillis(50), 100,
            Backoff.doubling(Duration.ofMillis(20), Duration.ofMillis(100)));

    private final DataSource dataSource = PostgresResource.server().dataSource();
    private final EventCodec codec = new EventCodec("/cpr/test", java.time.Clock.systemUTC());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<CloudEvent> published = new CopyOnWriteArrayList<>();
    private OutboxTable table;

    @BeforeEach
    void createTable() throws SQLException {
        String schema = "outbox_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        table = OutboxTable.inSchema(schema);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
            // the columns every service's migration creates (platform/README.md)
            s.execute("create table " + table.qualifiedName() + " (seq bigserial primary key, event_id text not null"
                    + " unique, topic text not null, record_key text not null, event_type text not null, cloud_event"
                    + " text not null, created_at timestamptz not null default now(), published_at timestamptz,"
                    + " attempts int not null default 0, last_error text)");
        }
    }

    @Test
    void pendingRowsArePublishedInTheOrderTheyWereWrittenAndMarked() throws Exception {
        List<CloudEvent> written = List.of(write("a", 1), write("b", 1), write("a", 2), write("a", 3), write("b", 2));
        OutboxRelay relay = relay(recording());

        int sent = relay.drainOnce();

        assertThat(sent).isEqualTo(5);
        assertThat(published).containsExactlyElementsOf(written);
        assertThat(pendingIds()).isEmpty();
        assertThat(relay.drainOnce()).isZero();
        assertThat(published).hasSize(5);
    }

    @Test
    void aFailedSendStopsThePassAndTheRowGoesOutLaterWithTheSameCloudEventId() throws Exception {
        List<CloudEvent> written = List.of(write("a", 1), write("a", 2), write("a", 3));
        AtomicBoolean kafkaUp = new AtomicBoolean(true);
        OutboxRelay relay = relay((topic, record) -> {
            if (!kafkaUp.get() || EventCodec.decode(record.getPayload()).id().equals(written.get(1).id())) {
                kafkaUp.set(false);
                throw new IllegalStateException("broker unreachable");
            }
            published.add(EventCodec.decode(record.getPayload()));
        });

        assertThatThrownBy(relay::drainOnce).isInstanceOf(OutboxRelay.OutboxPublishFailed.class)
                .hasMessageContaining(written.get(1).id()).hasMessageContaining("broker unreachable");

        assertThat(published).containsExactly(written.get(0));
        assertThat(pendingIds()).containsExactly(written.get(1).id(), written.get(2).id());
        assertThat(lastError(written.get(1).id())).isEqualTo("broker unreachable");
        assertThat(relay.backlog()).isEqualTo(2);

        kafkaUp.set(true);
        OutboxRelay restarted = relay(recording());
        assertThat(restarted.drainOnce()).isEqualTo(2);
        assertThat(published).containsExactlyElementsOf(written);
        assertThat(pendingIds()).isEmpty();
    }

    @Test
    void whileOneRelaySendsAKeyAnotherRelayTakesNeitherItsRowsNorItsLaterRowsButOtherKeys() throws Exception {
        List<CloudEvent> written = List.of(write("a", 1), write("a", 2), write("b", 1));
        CountDownLatch firstSendStarted = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        List<String> sentByFirst = new CopyOnWriteArrayList<>();
        List<String> sentBySecond = new CopyOnWriteArrayList<>();
        OutboxRelay first = relay((topic, record) -> {
            firstSendStarted.countDown();
            letFirstFinish.await(10, TimeUnit.SECONDS);
            sentByFirst.add(EventCodec.decode(record.getPayload()).id());
        });
        OutboxRelay second = relay((topic, record) -> sentBySecond.add(EventCodec.decode(record.getPayload()).id()));
        // the first relay claims the oldest rows (a-1, a-2, b-1) and blocks on a-1's send
        CompletableFuture<Integer> firstPass = CompletableFuture.supplyAsync(() -> {
            try {
                return first.drainOnce();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(firstSendStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CloudEvent later = write("a", 3);
        CloudEvent otherKey = write("c", 1);

        int sentMeanwhile = second.drainOnce();
        letFirstFinish.countDown();

        assertThat(sentMeanwhile).isEqualTo(1);
        assertThat(sentBySecond).containsExactly(otherKey.id());
        assertThat(firstPass.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(sentByFirst).containsExactly(written.get(0).id(), written.get(1).id(), written.get(2).id());
        assertThat(pendingIds()).containsExactly(later.id());
    }

    @Test
    void theBacklogGaugeGrowsWhileKafkaIsDownAndDrainsWhenItIsBack() throws Exception {
        AtomicBoolean kafkaUp = new AtomicBoolean(false);
        OutboxRelay relay = relay((topic, record) -> {
            if (!kafkaUp.get()) {
                throw new IllegalStateException("broker unreachable");
            }
            published.add(EventCodec.decode(record.getPayload()));
        });
        relay.start();
        try {
            write("a", 1);
            write("a", 2);
            write("b", 1);
            relay.wake();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backlogGauge()).isEqualTo(3.0));
            assertThat(published).isEmpty();

            kafkaUp.set(true);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backlogGauge()).isZero());
            assertThat(published).hasSize(3);
            assertThat(pendingIds()).isEmpty();
        } finally {
            relay.close();
        }
    }

    @Test
    void aPausedRelayLeavesTheRowsWaitingAndSendsThemWhenResumed() throws Exception {
        OutboxRelay relay = relay(recording());
        relay.pause();
        relay.start();
        try {
            CloudEvent event = write("a", 1);
            relay.wake();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backlogGauge()).isEqualTo(1.0));
            assertThat(published).isEmpty();

            relay.resume();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(published).containsExactly(event));
        } finally {
            relay.close();
        }
    }

    @Test
    void aRelayStartedAgainAfterCloseReportsItsOwnBacklogNotTheClosedOnes() throws Exception {
        OutboxRelay first = new OutboxRelay("restarted", table, dataSource, (topic, record) -> {
            throw new IllegalStateException("broker unreachable");
        }, registry, FAST);
        write("a", 1);
        assertThatThrownBy(first::drainOnce).isInstanceOf(OutboxRelay.OutboxPublishFailed.class);
        first.close();

        OutboxRelay second = new OutboxRelay("restarted", table, dataSource, recording(), registry, FAST);
        second.drainOnce();

        assertThat(registry.get(OutboxRelay.BACKLOG_GAUGE).tag("service", "restarted").gauges()).singleElement()
                .satisfies(g -> assertThat(g.value()).isZero());
    }

    @Test
    void publishedRowsPastTheRetentionAreDeletedInBatchesWhileNewerAndUnpublishedOnesStay() throws Exception {
        // given more old published rows than one delete statement takes, a recent published row, an old pending row
        int old = OutboxRelay.PRUNE_BATCH * 2 + 7;
        writePublished(old, Duration.ofDays(8));
        writePublished(1, Duration.ofDays(6));
        CloudEvent pending = write("a", 1);
        age(pending.id(), Duration.ofDays(30));
        OutboxRelay relay = new OutboxRelay("pruning", table, dataSource, recording(), registry,
                FAST.withRetention(Duration.ofDays(7)));

        // when
        int deleted = relay.pruneOnce();

        // then only the published rows older than 7 days are gone, across several statements
        assertThat(deleted).isEqualTo(old);
        assertThat(rowCount()).isEqualTo(2);
        assertThat(pendingIds()).containsExactly(pending.id());
        assertThat(relay.pruneOnce()).isZero();
    }

    @Test
    void theRunningRelayPrunesOnItsOwn() throws Exception {
        writePublished(3, Duration.ofDays(8));
        OutboxRelay relay = new OutboxRelay("self-pruning", table, dataSource, recording(), registry,
                new OutboxRelay.Settings(Duration.ofMillis(50), 100, Backoff.doubling(Duration.ofMillis(20),
                        Duration.ofMillis(100)), Duration.ofDays(7), Duration.ofMillis(100)));
        relay.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rowCount()).isZero());
        } finally {
            relay.close();
        }
    }

    @Test
    void aNegativeRetentionIsRefusedByName() {
        assertThatThrownBy(() -> FAST.withRetention(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outbox retention").hasMessageContaining("PT-24H");
    }

    @Test
    void aTableNameThatIsNotAPlainIdentifierIsRefusedByName() {
        assertThatThrownBy(() -> new OutboxTable("restore_service.outbox; drop table x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'restore_service.outbox; drop table x'");
    }

    private OutboxRelay relay(OutboxSender sender) {
        return new OutboxRelay("test-" + UUID.randomUUID(), table, dataSource, sender, registry, FAST);
    }

    private OutboxSender recording() {
        return (topic, record) -> published.add(EventCodec.decode(record.getPayload()));
    }

    private double backlogGauge() {
        return registry.find(OutboxRelay.BACKLOG_GAUGE).gauges().stream().mapToDouble(g -> g.value()).max().orElse(-1);
    }

    private CloudEvent write(String key, int n) throws SQLException {
        CloudEvent event = codec.wrap(key + "-" + n + "-" + UUID.randomUUID(), "dev.cpr.test", key, Map.of("n", n));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("insert into "
                + table.qualifiedName() + " (event_id, topic, record_key, event_type, cloud_event) values (?, ?, ?, ?, ?)")) {
            s.setString(1, event.id());
            s.setString(2, "cpr.test");
            s.setString(3, key);
            s.setString(4, event.type());
            s.setString(5, EventCodec.encode(event));
            s.executeUpdate();
        }
        return event;
    }

    /** {@code count} rows published {@code ago} (created just before). */
    private void writePublished(int count, Duration ago) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("insert into "
                + table.qualifiedName() + " (event_id, topic, record_key, event_type, cloud_event, created_at,"
                + " published_at) select 'old-' || g || '-' || md5(random()::text), 'cpr.test', 'a', 'dev.cpr.test',"
                + " '{}',"
                + " now() - make_interval(secs => ?) - interval '1 second', now() - make_interval(secs => ?)"
                + " from generate_series(1, ?) g")) {
            s.setDouble(1, ago.toSeconds());
            s.setDouble(2, ago.toSeconds());
            s.setInt(3, count);
            s.executeUpdate();
        }
    }

    private void age(String eventId, Duration ago) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("update "
                + table.qualifiedName() + " set created_at = now() - make_interval(secs => ?) where event_id = ?")) {
            s.setDouble(1, ago.toSeconds());
            s.setString(2, eventId);
            s.executeUpdate();
        }
    }

    private long rowCount() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table.qualifiedName())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> pendingIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select event_id from " + table.qualifiedName()
                        + " where published_at is null order by seq")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private String lastError(String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select last_error from "
                + table.qualifiedName() + " where event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

}
