package dev.cpr.restore.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code rehearsals} table (V9), a row per rehearsal with its steps as JSON, and the schedule's claims (V10). */
@ApplicationScoped
public class RehearsalRepository {

    /** Inserts the claim, or takes over one that has expired; one row changed means this replica holds it. */
    private static final String CLAIM_SQL = "INSERT INTO restore_service.rehearsal_claims "
            + "(cluster_id, replica_id, claimed_until) VALUES (?1, ?2, ?3) ON CONFLICT (cluster_id) DO UPDATE SET "
            + "replica_id = EXCLUDED.replica_id, claimed_until = EXCLUDED.claimed_until "
            + "WHERE restore_service.rehearsal_claims.claimed_until < ?4";

    public Uni<Void> insert(Rehearsal r) {
        RehearsalEntity row = new RehearsalEntity();
        row.id = r.id();
        row.clusterId = r.clusterId();
        row.scratchId = r.scratchId();
        row.snapshotId = r.snapshotId();
        row.targetRevision = r.targetRevision();
        row.revisionReached = r.revisionReached();
        row.keyCount = r.keyCount();
        row.startedAt = r.startedAt();
        row.finishedAt = r.finishedAt();
        row.rtoMs = r.rtoMillis();
        row.stepDurations = write(r.steps());
        row.verdict = r.verdict().name();
        row.reason = r.reason();
        return Panache.withTransaction(row::persist).replaceWithVoid();
    }

    /** The cluster's scheduled rehearsal claimed for this replica (V10), unless another claim is unexpired. */
    public Uni<Boolean> claim(String clusterId, String replicaId, Instant now, Instant until) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(CLAIM_SQL)
                .setParameter(1, clusterId)
                .setParameter(2, replicaId)
                .setParameter(3, OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .setParameter(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .executeUpdate()))
                .map(rows -> rows == 1);
    }

    /** Newest first; of one cluster when given. */
    public Uni<List<Rehearsal>> list(Optional<String> clusterId, int limit) {
        Sort newest = Sort.descending("startedAt");
        return Panache.withSession(() -> (clusterId.isPresent()
                ? RehearsalEntity.<RehearsalEntity>find("clusterId", newest, clusterId.get())
                : RehearsalEntity.<RehearsalEntity>findAll(newest))
                .page(Page.ofSize(limit)).list()
                .map(rows -> rows.stream().map(RehearsalRepository::read).toList()));
    }

    private static Rehearsal read(RehearsalEntity row) {
        return new Rehearsal(row.id, row.clusterId, row.scratchId, row.snapshotId, row.targetRevision,
                row.revisionReached, row.keyCount, row.startedAt, row.finishedAt, row.rtoMs, steps(row.stepDurations),
                Rehearsal.Verdict.valueOf(row.verdict), row.reason);
    }

    private static String write(List<Rehearsal.StepTime> steps) {
        try {
            return EventCodec.mapper().writeValueAsString(steps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rehearsal's step durations cannot be written as JSON", e);
        }
    }

    private static List<Rehearsal.StepTime> steps(String json) {
        try {
            return EventCodec.mapper().readValue(json, new TypeReference<List<Rehearsal.StepTime>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rehearsal's step durations are not valid JSON: " + e.getMessage(),
                    e);
        }
    }
}
