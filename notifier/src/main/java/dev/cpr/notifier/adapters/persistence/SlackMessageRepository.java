package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.domain.NotificationKind;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class SlackMessageRepository implements PanacheRepositoryBase<SlackMessageEntity, Long> {

    public Uni<SlackMessageEntity> incidentMessage(String incidentId) {
        return incidentId == null ? Uni.createFrom().nullItem()
                : find("kind = ?1 and incidentId = ?2", NotificationKind.INCIDENT, incidentId).firstResult();
    }

    public Uni<SlackMessageEntity> resolutionMessage(String incidentId) {
        return find("kind = ?1 and incidentId = ?2", NotificationKind.RESOLUTION, incidentId).firstResult();
    }

    public Uni<SlackMessageEntity> progressMessage(String planId) {
        return find("kind = ?1 and planId = ?2", NotificationKind.PROGRESS, planId).firstResult();
    }

    /** The newest INCIDENT and PROGRESS messages of each cluster (or one cluster), newest first. */
    public Uni<List<SlackMessageEntity>> latestPerCluster(String clusterId, int limit) {
        Sort sort = Sort.descending("updatedAt").and("id", Sort.Direction.Descending);
        var query = clusterId == null
                ? find("kind in ?1", sort, List.of(NotificationKind.INCIDENT, NotificationKind.PROGRESS))
                : find("kind in ?1 and clusterId = ?2", sort, List.of(NotificationKind.INCIDENT, NotificationKind.PROGRESS),
                        clusterId);
        return query.page(Page.ofSize(limit)).list();
    }

    /** Newest first. */
    public Uni<List<SlackMessageEntity>> latest(String incidentId, int limit) {
        Sort sort = Sort.descending("updatedAt").and("id", Sort.Direction.Descending);
        var query = incidentId == null ? findAll(sort) : find("incidentId", sort, incidentId);
        return query.page(Page.ofSize(limit)).list();
    }
}
