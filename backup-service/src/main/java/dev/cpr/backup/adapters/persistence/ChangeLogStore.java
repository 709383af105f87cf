package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.adapters.kafka.OutboxPublisher;
import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The change log's catalog tables, for the blocking recorder threads: each call one awaited transaction. */
@ApplicationScoped
public class ChangeLogStore implements ChangeLogCatalog {

    private static final int REMOVE_SLICE = 1_000;

    private final Clock clock;
    private final BackupOutbox outbox;
    private final OutboxPublisher publisher;

    public ChangeLogStore(Clock clock, BackupOutbox outbox, OutboxPublisher publisher) {
        this.clock = clock;
        this.outbox = outbox;
        this.publisher = publisher;
    }

    @Override
    public OptionalLong lastDurableRevision(String clusterId) {
        Long revision = Catalog.await(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.find(ChangeLogPositionEntity.class, clusterId))
                .map(p -> p == null ? null : p.lastDurableRevision)));
        return revision == null ? OptionalLong.empty() : OptionalLong.of(revision);
    }

    @Override
    public void recorded(Segment segment, String location, long sizeBytes) {
        Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .find(ChangeLogPositionEntity.class, segment.clusterId())
                .chain(position -> {
                    if (position == null) {
                        return s.persist(ChangeLogPositionEntity.of(segment.clusterId(), segment.lastRevision(),
                                clock.instant()));
                    }
                    if (position.lastDurableRevision != null
                            && position.lastDurableRevision >= segment.firstRevision()) {
                        return Uni.createFrom().failure(new IllegalStateException("cluster " + segment.clusterId()
                                + " is durable up to revision " + position.lastDurableRevision + " already: "
                                + segment + " would record revisions twice"));
                    }
                    position.lastDurableRevision = segment.lastRevision();
                    position.updatedAt = clock.instant();
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> s.persist(ChangeSegmentEntity.of(segment, location, sizeBytes))))));
    }

    @Override
    public boolean markBroken(BrokenChain broken, IncidentOpened incident) {
        ChangeLogBrokenEntity.Key key = new ChangeLogBrokenEntity.Key();
        key.clusterId = broken.clusterId();
        key.fromRevision = broken.fromRevision();
        boolean marked = Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .find(ChangeLogBrokenEntity.class, key)
                .chain(found -> found != null
                        ? Uni.createFrom().item(false)
                        : s.persist(ChangeLogBrokenEntity.of(broken)).chain(() -> outbox.incidentOpened(incident))
                                .replaceWith(true)))));
        if (marked) {
            publisher.wake();
        }
        return marked;
    }

    @Override
    public List<BrokenChain> broken(String clusterId) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeLogBrokenEntity where clusterId = :cluster order by fromRevision",
                        ChangeLogBrokenEntity.class)
                .setParameter("cluster", clusterId).getResultList())
                .map(list -> list.stream().map(ChangeLogBrokenEntity::view).toList())));
    }

    @Override
    public List<BrokenChain> openBreaks(String clusterId) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeLogBrokenEntity where clusterId = :cluster and resolvedAt is null "
                        + "order by fromRevision", ChangeLogBrokenEntity.class)
                .setParameter("cluster", clusterId).getResultList())
                .map(list -> list.stream().map(ChangeLogBrokenEntity::view).toList())));
    }

    @Override
    public boolean resolveBroken(BrokenChain broken, IncidentResolved resolved) {
        boolean written = Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .createMutationQuery("update ChangeLogBrokenEntity set resolvedAt = :at where clusterId = :cluster "
                        + "and fromRevision = :from and resolvedAt is null")
                .setParameter("at", resolved.resolvedAt()).setParameter("cluster", broken.clusterId())
                .setParameter("from", broken.fromRevision()).executeUpdate()
                .chain(updated -> updated == 0 ? Uni.createFrom().item(false)
                        : outbox.incidentResolved(resolved).replaceWith(true)))));
        if (written) {
            publisher.wake();
        }
        return written;
    }

    @Override
    public void proven(ProvenChain chain) {
        Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .find(ChangeLogProvenEntity.class, ChangeLogProvenEntity.key(chain.clusterId(), chain.fromBackupId(),
                        chain.nextBackupId()))
                .chain(found -> found != null ? Uni.createFrom().voidItem()
                        : s.persist(ChangeLogProvenEntity.of(chain))))));
    }

    @Override
    public boolean isProven(String clusterId, String fromBackupId, String nextBackupId) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .find(ChangeLogProvenEntity.class, ChangeLogProvenEntity.key(clusterId, fromBackupId, nextBackupId))
                .map(found -> found != null))));
    }

    @Override
    public List<StoredSegment> forget(String clusterId) {
        return Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeSegmentEntity where clusterId = :cluster order by firstRevision",
                        ChangeSegmentEntity.class)
                .setParameter("cluster", clusterId).getResultList()
                .chain(forgotten -> s
                        .createMutationQuery("delete from ChangeLogBrokenEntity where clusterId = :cluster")
                        .setParameter("cluster", clusterId).executeUpdate()
                        .chain(() -> s
                                .createMutationQuery("delete from ChangeLogProvenEntity where clusterId = :cluster")
                                .setParameter("cluster", clusterId).executeUpdate())
                        .chain(() -> s
                                .createMutationQuery("delete from ChangeLogPositionEntity where clusterId = :cluster")
                                .setParameter("cluster", clusterId).executeUpdate())
                        .chain(() -> s.createMutationQuery("delete from ChangeSegmentEntity where clusterId = :cluster")
                                .setParameter("cluster", clusterId).executeUpdate())
                        .map(n -> forgotten.stream().map(ChangeSegmentEntity::view).toList())))));
    }

    @Override
    public int remove(String clusterId, List<StoredSegment> segments) {
        if (segments.isEmpty()) {
            return 0;
        }
        // in slices: a first pass over a long-kept log may remove many thousand rows, more than one statement binds
        List<List<String>> slices = new ArrayList<>();
        List<String> locations = segments.stream().map(StoredSegment::location).toList();
        for (int i = 0; i < locations.size(); i += REMOVE_SLICE) {
            slices.add(locations.subList(i, Math.min(locations.size(), i + REMOVE_SLICE)));
        }
        return Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            Uni<Integer> removed = Uni.createFrom().item(0);
            for (List<String> slice : slices) {
                removed = removed.chain(sum -> s.createMutationQuery(
                                "delete from ChangeSegmentEntity where clusterId = :cluster and location in :locations")
                        .setParameter("cluster", clusterId).setParameter("locations", slice).executeUpdate()
                        .map(n -> sum + n));
            }
            return removed;
        })));
    }

    @Override
    public OptionalLong etcdClusterId(String clusterId) {
        Long id = Catalog.await(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.find(ChangeLogPositionEntity.class, clusterId))
                .map(p -> p == null ? null : p.etcdClusterId)));
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public void recordingFrom(String clusterId, long etcdClusterId) {
        Catalog.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(s -> s
                .find(ChangeLogPositionEntity.class, clusterId)
                .chain(position -> {
                    if (position == null) {
                        ChangeLogPositionEntity fresh = ChangeLogPositionEntity.of(clusterId, null, clock.instant());
                        fresh.etcdClusterId = etcdClusterId;
                        return s.persist(fresh);
                    }
                    position.etcdClusterId = etcdClusterId;
                    position.updatedAt = clock.instant();
                    return Uni.createFrom().voidItem();
                }))));
    }

    @Override
    public List<StoredSegment> segments(String clusterId) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeSegmentEntity where clusterId = :cluster order by firstRevision",
                        ChangeSegmentEntity.class)
                .setParameter("cluster", clusterId).getResultList())
                .map(list -> list.stream().map(ChangeSegmentEntity::view).toList())));
    }

    @Override
    public List<StoredSegment> segments(String clusterId, long after, long upTo) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeSegmentEntity where clusterId = :cluster and lastRevision > :after "
                        + "and firstRevision <= :upTo order by firstRevision", ChangeSegmentEntity.class)
                .setParameter("cluster", clusterId).setParameter("after", after).setParameter("upTo", upTo)
                .getResultList())
                .map(list -> list.stream().map(ChangeSegmentEntity::view).toList())));
    }

    @Override
    public Optional<StoredSegment> segment(String clusterId, long firstRevision) {
        ChangeSegmentEntity.Key key = new ChangeSegmentEntity.Key();
        key.clusterId = clusterId;
        key.firstRevision = firstRevision;
        return Optional.ofNullable(Catalog.await(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.find(ChangeSegmentEntity.class, key))
                .map(e -> e == null ? null : e.view()))));
    }

    @Override
    public Optional<StoredSegment> openedAtOrBefore(String clusterId, Instant time) {
        // the index changelog_segments_by_time (cluster_id, opened_at) answers this
        List<StoredSegment> newest = Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeSegmentEntity where clusterId = :cluster and openedAt <= :time "
                        + "order by openedAt desc, firstRevision desc", ChangeSegmentEntity.class)
                .setParameter("cluster", clusterId).setParameter("time", time).setMaxResults(1).getResultList())
                .map(list -> list.stream().map(ChangeSegmentEntity::view).toList())));
        return newest.stream().findFirst();
    }
}
