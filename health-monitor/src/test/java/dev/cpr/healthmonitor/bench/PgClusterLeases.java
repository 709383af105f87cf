package dev.cpr.healthmonitor.bench;

import dev.cpr.healthmonitor.adapters.persistence.ClusterLeaseTable;
import dev.cpr.healthmonitor.app.ClusterLeases;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link ClusterLeases} for a replica outside Quarkus (the replicas benchmark runs each replica in a JVM of its own, so
 * that each one's CPU and heap can be read): {@link ClusterLeaseTable}'s own statements over a plain pg client pool,
 * their {@code ?n} parameters written as pg's {@code $n}. Each statement commits on its own, as each of the table's
 * transactions holds one statement.
 */
final class PgClusterLeases implements ClusterLeases {

    private final Pool pool;

    PgClusterLeases(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Void> heartbeat(String replica, Instant until) {
        return run(ClusterLeaseTable.HEARTBEAT_SQL, replica, at(until)).replaceWithVoid();
    }

    @Override
    public Uni<Integer> liveReplicas(Instant now) {
        return run(ClusterLeaseTable.LIVE_REPLICAS_SQL, at(now))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    @Override
    public Uni<Integer> renew(String replica, Instant now, Instant until) {
        return run(ClusterLeaseTable.RENEW_SQL, replica, at(now), at(until)).map(RowSet::rowCount);
    }

    @Override
    public Uni<Map<String, String>> owners(Instant now) {
        return run(ClusterLeaseTable.OWNERS_SQL, at(now)).map(rows -> {
            Map<String, String> owners = new HashMap<>();
            for (Row row : rows) {
                owners.put(row.getString(0), row.getString(1));
            }
            return owners;
        });
    }

    @Override
    public Uni<Boolean> claim(String cluster, String replica, Instant now, Instant until) {
        return run(ClusterLeaseTable.CLAIM_SQL, cluster, replica, at(now), at(until)).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Void> release(String cluster, String replica) {
        return run(ClusterLeaseTable.RELEASE_SQL, cluster, replica).replaceWithVoid();
    }

    @Override
    public Uni<Void> releaseAll(String replica) {
        return run(ClusterLeaseTable.RELEASE_LEASES_SQL, replica)
                .chain(() -> run(ClusterLeaseTable.RELEASE_HEARTBEAT_SQL, replica))
                .replaceWithVoid();
    }

    private Uni<RowSet<Row>> run(String sql, Object... parameters) {
        Future<RowSet<Row>> done = pool.preparedQuery(sql.replaceAll("\\?(\\d)", "\\$$1"))
                .execute(Tuple.from(parameters));
        return Uni.createFrom().completionStage(done.toCompletionStage());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
