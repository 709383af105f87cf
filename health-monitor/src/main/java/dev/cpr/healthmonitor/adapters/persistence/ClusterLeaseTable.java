package dev.cpr.healthmonitor.adapters.persistence;

import dev.cpr.healthmonitor.app.ClusterLeases;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ClusterLeases} in {@code health_monitor.cluster_lease} and {@code replica_heartbeat}, one statement each.
 * The statements are public (positional {@code ?n} parameters, in the order each method passes them) so that the
 * replicas benchmark runs exactly these over a plain pg client, outside Quarkus.
 */
@ApplicationScoped
public class ClusterLeaseTable implements ClusterLeases {

    private static final String LEASE = "health_monitor.cluster_lease";
    private static final String HEARTBEAT = "health_monitor.replica_heartbeat";

    /** replica, until. */
    public static final String HEARTBEAT_SQL = "INSERT INTO " + HEARTBEAT
            + " (replica_id, expires_at) VALUES (?1, ?2)"
            + " ON CONFLICT (replica_id) DO UPDATE SET expires_at = excluded.expires_at";
    /** now; one row, a count. */
    public static final String LIVE_REPLICAS_SQL = "SELECT count(*) FROM " + HEARTBEAT + " WHERE expires_at > ?1";
    /** replica, now, until. */
    public static final String RENEW_SQL = "UPDATE " + LEASE
            + " SET expires_at = ?3 WHERE owner = ?1 AND expires_at > ?2";
    /** now; rows of cluster, owner. */
    public static final String OWNERS_SQL = "SELECT cluster_id, owner FROM " + LEASE + " WHERE expires_at > ?1";
    /** cluster, replica, now, until; one row changed when taken. */
    public static final String CLAIM_SQL = "INSERT INTO " + LEASE
            + " (cluster_id, owner, expires_at) VALUES (?1, ?2, ?4)"
            + " ON CONFLICT (cluster_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
            + " WHERE " + LEASE + ".expires_at <= ?3 OR " + LEASE + ".owner = excluded.owner";
    /** cluster, replica. */
    public static final String RELEASE_SQL = "DELETE FROM " + LEASE + " WHERE cluster_id = ?1 AND owner = ?2";
    /** replica. */
    public static final String RELEASE_LEASES_SQL = "DELETE FROM " + LEASE + " WHERE owner = ?1";
    /** replica. */
    public static final String RELEASE_HEARTBEAT_SQL = "DELETE FROM " + HEARTBEAT + " WHERE replica_id = ?1";

    @Override
    public Uni<Void> heartbeat(String replica, Instant until) {
        return update(HEARTBEAT_SQL, replica, at(until))
                .replaceWithVoid();
    }

    @Override
    public Uni<Integer> liveReplicas(Instant now) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(LIVE_REPLICAS_SQL, Long.class)
                .setParameter(1, at(now))
                .getSingleResult()
                .map(Long::intValue)));
    }

    @Override
    public Uni<Integer> renew(String replica, Instant now, Instant until) {
        return update(RENEW_SQL, replica, at(now), at(until));
    }

    @Override
    public Uni<Map<String, String>> owners(Instant now) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(OWNERS_SQL, Object[].class)
                .setParameter(1, at(now))
                .getResultList()
                .map(ClusterLeaseTable::byCluster)));
    }

    @Override
    public Uni<Boolean> claim(String cluster, String replica, Instant now, Instant until) {
        return update(CLAIM_SQL, cluster, replica, at(now), at(until)).map(rows -> rows == 1);
    }

    @Override
    public Uni<Void> release(String cluster, String replica) {
        return update(RELEASE_SQL, cluster, replica)
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> releaseAll(String replica) {
        return update(RELEASE_LEASES_SQL, replica)
                .chain(() -> update(RELEASE_HEARTBEAT_SQL, replica))
                .replaceWithVoid();
    }

    private static Uni<Integer> update(String sql, Object... parameters) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        }));
    }

    private static Map<String, String> byCluster(List<Object[]> rows) {
        Map<String, String> owners = new HashMap<>();
        rows.forEach(row -> owners.put((String) row[0], (String) row[1]));
        return owners;
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
