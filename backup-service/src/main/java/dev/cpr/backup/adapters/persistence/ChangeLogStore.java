package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/** The change log's catalog tables, for the blocking recorder threads: each call one awaited transaction. */
@ApplicationScoped
public class ChangeLogStore implements ChangeLogCatalog {

    private final Clock clock;

    public ChangeLogStore(Clock clock) {
        this.clock = clock;
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
                    if (position.lastDurableRevision >= segment.firstRevision()) {
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
    public List<StoredSegment> segments(String clusterId) {
        return Catalog.await(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createQuery("from ChangeSegmentEntity where clusterId = :cluster order by firstRevision",
                        ChangeSegmentEntity.class)
                .setParameter("cluster", clusterId).getResultList())
                .map(list -> list.stream().map(ChangeSegmentEntity::view).toList())));
    }
}
