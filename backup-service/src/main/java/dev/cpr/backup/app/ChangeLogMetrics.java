package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.StoredSegment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cpr_changelog_segments_total{cluster}}, {@code cpr_changelog_changes_total{cluster}},
 * {@code cpr_changelog_last_durable_revision{cluster}}, {@code cpr_changelog_compactions_total{cluster}} (the log
 * fell behind a compaction and a full snapshot was asked for), {@code cpr_changelog_failures_total{cluster}} (a
 * recorder stopped and is restarted from what is durable), {@code cpr_changelog_new_chains_total{cluster}} (etcd
 * was restored: the old chain was forgotten and a new one waits for a full snapshot),
 * {@code cpr_changelog_segments_removed_total{cluster,reason}} (segments deleted, row and file: {@code retention} when
 * no retained verified snapshot needs them, {@code new-chain} when a restore dropped the chain),
 * {@code cpr_changelog_drills_total{cluster,verdict}} (chain drills: intact, broken, inconclusive, no-snapshot),
 * {@code cpr_changelog_drill_duration_seconds{cluster}} (a whole drill) and
 * {@code cpr_changelog_replay_duration_seconds{cluster,outcome}} (its replay into a scratch etcd: matched, fault,
 * inconclusive) and {@code cpr_changelog_older_chain_replays_total{cluster,outcome}} (older chains replayed against
 * the next snapshot: matched, fault, inconclusive).
 */
@ApplicationScoped
public class ChangeLogMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> durable = new ConcurrentHashMap<>();

    public ChangeLogMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void stored(StoredSegment stored) {
        String cluster = stored.segment().clusterId();
        counter("cpr.changelog.segments", cluster, "segments stored").increment();
        counter("cpr.changelog.changes", cluster, "changes stored").increment(stored.segment().count());
        durable.computeIfAbsent(cluster, c -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("cpr.changelog.last.durable.revision", value, AtomicLong::get)
                    .description("the last revision whose change is in a stored segment").tag("cluster", c)
                    .register(registry);
            return value;
        }).set(stored.segment().lastRevision());
    }

    void compacted(String cluster) {
        counter("cpr.changelog.compactions", cluster, "watches that fell behind a compaction").increment();
    }

    void broke(String cluster) {
        counter("cpr.changelog.failures", cluster, "recorders stopped by a failure").increment();
    }

    void restarted(String cluster) {
        counter("cpr.changelog.new.chains", cluster, "chains started again after etcd was restored").increment();
        AtomicLong value = durable.get(cluster);
        if (value != null) {
            value.set(0);
        }
    }

    void removed(String cluster, String reason, int segments) {
        Counter.builder("cpr.changelog.segments.removed").description("segments deleted, row and file")
                .tag("cluster", cluster).tag("reason", reason).register(registry).increment(segments);
    }

    void drilled(String cluster, String verdict) {
        Counter.builder("cpr.changelog.drills").description("change log chain drills by verdict")
                .tag("cluster", cluster).tag("verdict", verdict).register(registry).increment();
    }

    void drillTook(String cluster, java.time.Duration took) {
        Timer.builder("cpr.changelog.drill.duration").description("a chain drill, read-back and replay")
                .tag("cluster", cluster).register(registry).record(took);
    }

    void replayTook(String cluster, String outcome, java.time.Duration took) {
        Timer.builder("cpr.changelog.replay.duration")
                .description("a chain's replay into a scratch etcd: snapshot restore, transactions, hash")
                .tag("cluster", cluster).tag("outcome", outcome).register(registry).record(took);
    }

    void olderChainReplayed(String cluster, String outcome) {
        Counter.builder("cpr.changelog.older.chain.replays")
                .description("older chains replayed against the next snapshot's keyspace hash, by outcome")
                .tag("cluster", cluster).tag("outcome", outcome).register(registry).increment();
    }

    private Counter counter(String name, String cluster, String description) {
        return Counter.builder(name).description(description).tag("cluster", cluster).register(registry);
    }
}
