package dev.cpr.restore.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.incident.IncidentOpened;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The {@code deferred_incident} table: one waiting incident per cluster, stored as the incident event's JSON. The
 * writes join the caller's transaction (see {@link PlanRepository#create(dev.cpr.restore.domain.plan.RecoveryPlan,
 * IncidentOpened)}); the reads open a session of their own.
 */
@ApplicationScoped
public class DeferredIncidentRepository {

    private static final String TABLE = "restore_service.deferred_incident";

    /** Keeps the incident as its cluster's waiting one, replacing an older one. Call inside a transaction. */
    Uni<Integer> defer(IncidentOpened incident) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("insert into " + TABLE
                        + " (cluster_id, incident_id, incident, deferred_at) values (?1, ?2, ?3, now())"
                        + " on conflict (cluster_id) do update set incident_id = excluded.incident_id,"
                        + " incident = excluded.incident, deferred_at = excluded.deferred_at")
                .setParameter(1, incident.clusterId())
                .setParameter(2, incident.incidentId())
                .setParameter(3, write(incident))
                .executeUpdate());
    }

    /** Forgets the cluster's waiting incident if it is this one. Call inside a transaction. */
    Uni<Integer> forget(String clusterId, String incidentId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("delete from " + TABLE
                        + " where cluster_id = ?1 and incident_id = ?2")
                .setParameter(1, clusterId)
                .setParameter(2, incidentId)
                .executeUpdate());
    }

    public Uni<Integer> forgetNow(String clusterId, String incidentId) {
        return Panache.withTransaction(() -> forget(clusterId, incidentId));
    }

    public Uni<Optional<IncidentOpened>> waiting(String clusterId) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select incident from " + TABLE + " where cluster_id = ?1", String.class)
                .setParameter(1, clusterId)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(DeferredIncidentRepository::read))));
    }

    public Uni<List<IncidentOpened>> all() {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select incident from " + TABLE + " order by deferred_at", String.class)
                .getResultList()
                .map(rows -> rows.stream().map(DeferredIncidentRepository::read).toList())));
    }

    private static String write(IncidentOpened incident) {
        try {
            return EventCodec.mapper().writeValueAsString(incident);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("incident " + incident.incidentId() + " of cluster " + incident.clusterId()
                    + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static IncidentOpened read(String json) {
        try {
            return EventCodec.mapper().readValue(json, IncidentOpened.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored deferred incident is not valid JSON: " + e.getMessage(), e);
        }
    }
}
