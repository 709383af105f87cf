package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.adapters.kafka.OutboxPublisher;
import dev.cpr.backup.app.BackupCatalog;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The catalog for blocking callers (snapshot jobs, drills, REST on worker threads): each method is one
 * Hibernate Reactive transaction run on a Vert.x context and awaited, and returns an immutable view. Every change
 * writes its {@code dev.cpr.backup.updated} outbox row in its own transaction ({@link BackupOutbox}) and wakes the
 * relay once committed.
 */
@ApplicationScoped
public class Catalog implements BackupCatalog {

    private final BackupRepository repository;
    private final BackupOutbox outbox;
    private final OutboxPublisher publisher;
    private final Clock clock;

    public Catalog(BackupRepository repository, BackupOutbox outbox, OutboxPublisher publisher, Clock clock) {
        this.repository = repository;
        this.outbox = outbox;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Records a new in-progress backup.
     *
     * @param scheduledSlot the cron slot of a scheduled backup, else null
     * @param incidentId    the incident a safety snapshot is for, else null
     * @return empty if this slot or incident was already taken (by another replica, or a redelivered event)
     */
    public Optional<BackupUpdate> start(String clusterId, String trigger, String compression, Instant scheduledSlot,
            String incidentId) {
        return start(clusterId, BackupKind.ETCD_V3_SNAPSHOT, trigger, compression, scheduledSlot, incidentId);
    }

    /**
     * Records a new in-progress backup of {@code kind}. A scheduled slot is unique per cluster and kind (a BOSH
     * cluster's deployment and director schedules may fire in the same second).
     *
     * @return empty if this slot or incident was already taken (by another replica, or a redelivered event)
     */
    public Optional<BackupUpdate> start(String clusterId, BackupKind kind, String trigger, String compression,
            Instant scheduledSlot, String incidentId) {
        BackupEntity entity = BackupEntity.started(UUID.randomUUID(), clusterId, kind.wire(), trigger, compression,
                scheduledSlot, incidentId, clock.instant());
        try {
            return Optional.of(published(() -> Panache.withTransaction(() -> repository.persist(entity)
                    .map(BackupEntity::view).call(outbox::updated))));
        } catch (RuntimeException e) {
            if ((scheduledSlot != null || incidentId != null) && isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public BackupUpdate memberChosen(UUID id, String member) {
        return change(id, e -> e.memberChosen(member, clock.instant()));
    }

    /** @param v2 the v2 keyspace export beside the snapshot, or null */
    public BackupUpdate completed(UUID id, TakenSnapshot taken, dev.cpr.backup.domain.v2.V2Export v2) {
        return change(id, e -> e.completed(taken, v2, clock.instant()));
    }

    /** The v2 keyspace export of a backup, if it has one. */
    public Optional<dev.cpr.backup.domain.v2.V2Export> v2(UUID id) {
        return Optional.ofNullable(await(() -> Panache.withSession(() -> repository.findById(id)
                .map(e -> e == null ? null : e.v2().orElse(null)))));
    }

    public BackupUpdate failed(UUID id, String member, String reason) {
        return change(id, e -> e.failed(member, reason, clock.instant()));
    }

    public BackupUpdate drilled(UUID id, DrillResult result) {
        return change(id, e -> e.drilled(result, clock.instant()));
    }

    /** A BBR artifact directory checked by checksum: verified, or corrupt (kept, never offered). */
    public BackupUpdate bbrChecked(UUID id, boolean verified, String artifactDir, String detail, long bytes) {
        return change(id, e -> {
            if (!BackupKind.isBbr(e.kind())) {
                throw new IllegalStateException("backup " + id + " is " + e.kind() + ", not a bbr backup");
            }
            e.bbrChecked(verified, artifactDir, detail, bytes, clock.instant());
        });
    }

    public Optional<BackupUpdate> find(UUID id) {
        return Optional.ofNullable(await(() -> Panache.withSession(() -> repository.findById(id)
                .map(e -> e == null ? null : e.view()))));
    }

    /** What a drill of this backup must find, if it has an artifact. */
    public Optional<DrillExpectation> expectation(UUID id) {
        return Optional.ofNullable(await(() -> Panache.withSession(() -> repository.findById(id).map(e -> {
            if (e == null || !BackupKind.ETCD_V3_SNAPSHOT.wire().equals(e.kind()) || e.revision == null
                    || e.keyCount == null) {
                return null;
            }
            return new DrillExpectation(e.sha256, e.revision, e.revisionEnd, e.keyCount);
        }))));
    }

    public List<BackupUpdate> list(String clusterId, BackupStatus status) {
        return list(clusterId, status, null);
    }

    public List<BackupUpdate> list(String clusterId, BackupStatus status, String incidentId) {
        return list(clusterId, status, incidentId, null);
    }

    /** Entries newest first; every filter may be null. */
    public List<BackupUpdate> list(String clusterId, BackupStatus status, String incidentId, BackupKind kind) {
        return await(() -> Panache.withSession(() -> repository.search(clusterId, status == null ? null : status.wire(),
                        incidentId, kind == null ? null : kind.wire())
                .map(list -> list.stream().map(BackupEntity::view).toList())));
    }

    /**
     * Marks in-progress entries that saw no change since {@code cutoff} as failed (their job died with the process
     * that ran it); returns them as they are now.
     *
     * @param clusterId only this cluster's entries, or all when null
     * @param kinds     only entries of these kinds (a bbr backup may run for hours, a snapshot for minutes)
     */
    public List<BackupUpdate> abandon(Instant cutoff, String clusterId, Set<BackupKind> kinds) {
        Instant now = clock.instant();
        return published(() -> Panache.withTransaction(() -> repository.stale(BackupStatus.IN_PROGRESS.wire(), cutoff,
                        clusterId, wires(kinds))
                .map(stale -> stale.stream().map(e -> {
                    e.failed(null, "abandoned: no progress since " + e.updatedAt
                            + " (the process running it stopped); nothing was kept", now);
                    return e.view();
                }).toList())
                .call(this::enqueueAll)));
    }

    /**
     * Completed etcd snapshots whose drill has not run since {@code cutoff} (the process that was to drill them
     * stopped). BBR rows are never completed-but-undrilled: they are checked by checksum before they leave in-progress.
     */
    public List<BackupUpdate> undrilled(Instant cutoff) {
        return await(() -> Panache.withSession(() -> repository.stale(BackupStatus.COMPLETED.wire(), cutoff, null,
                        wires(Set.of(BackupKind.ETCD_V3_SNAPSHOT)))
                .map(list -> list.stream().map(BackupEntity::view).toList())));
    }

    /** Removes the row; true if it existed. */
    public boolean delete(UUID id) {
        return await(() -> Panache.withTransaction(() -> repository.deleteById(id)));
    }

    private BackupUpdate change(UUID id, Consumer<BackupEntity> transition) {
        return published(() -> Panache.withTransaction(() -> repository.findById(id).map(e -> {
            if (e == null) {
                throw new IllegalStateException("backup " + id + " is not in the catalog");
            }
            transition.accept(e);
            return e.view();
        }).call(outbox::updated)));
    }

    /** One row after the other: a Hibernate Reactive session runs one statement at a time. */
    private Uni<Void> enqueueAll(List<BackupUpdate> updates) {
        Uni<Void> written = Uni.createFrom().voidItem();
        for (BackupUpdate update : updates) {
            written = written.chain(() -> outbox.updated(update));
        }
        return written;
    }

    /** Runs a change whose transaction wrote outbox rows, and wakes the relay once it committed. */
    private <T> T published(Supplier<Uni<T>> change) {
        T result = await(change);
        publisher.wake();
        return result;
    }

    private static List<String> wires(Set<BackupKind> kinds) {
        return kinds.stream().map(BackupKind::wire).toList();
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("backups_one_per_") || message.contains("23505")) {
                return true;
            }
        }
        return false;
    }
}
