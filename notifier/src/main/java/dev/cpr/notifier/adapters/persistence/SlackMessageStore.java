package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.SlackMessages;
import dev.cpr.notifier.app.StoredMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link SlackMessages} on the {@code slack_message} table. A change loads the row into the caller's session and
 * changes it there, so it is written when the caller's transaction commits (only the columns it changed).
 */
@ApplicationScoped
public class SlackMessageStore implements SlackMessages {

    private final SlackMessageRepository repository;

    public SlackMessageStore(SlackMessageRepository repository) {
        this.repository = repository;
    }

    @Override
    public Uni<StoredMessage> incidentMessage(String incidentId) {
        return repository.incidentMessage(incidentId).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<StoredMessage> resolutionMessage(String incidentId) {
        return repository.resolutionMessage(incidentId).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<StoredMessage> progressMessage(String planId) {
        return repository.progressMessage(planId).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<List<StoredMessage>> latestPerCluster(String clusterId, int limit) {
        return repository.latestPerCluster(clusterId, limit).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<List<StoredMessage>> latest(String incidentId, int limit) {
        return repository.latest(incidentId, limit).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<StoredMessage> add(StoredMessage draft) {
        if (draft.id() != null) {
            throw new IllegalArgumentException("message " + draft.id() + " is stored already");
        }
        return repository.persist(SlackMessageEntity.of(draft)).map(SlackMessageStore::stored);
    }

    @Override
    public Uni<StoredMessage> showing(long id, long sequence, String state, String updateJson, Instant now) {
        return change(id, e -> e.showing(sequence, state, updateJson, now));
    }

    @Override
    public Uni<StoredMessage> decided(long id, String decision, String by, Instant at) {
        return change(id, e -> e.decided(decision, by, at));
    }

    @Override
    public Uni<StoredMessage> changedTo(long id, String state, Instant now) {
        return change(id, e -> e.changedTo(state, now));
    }

    private Uni<StoredMessage> change(long id, Consumer<SlackMessageEntity> change) {
        return repository.findById(id)
                .onItem().ifNull().failWith(() -> new IllegalStateException("no slack_message row " + id))
                .invoke(change)
                .map(SlackMessageStore::stored);
    }

    private static List<StoredMessage> stored(List<SlackMessageEntity> entities) {
        return entities.stream().map(SlackMessageStore::stored).toList();
    }

    private static StoredMessage stored(SlackMessageEntity e) {
        return e == null ? null : new StoredMessage(e.id(), e.kind(), e.incidentId(), e.clusterId(), e.planId(),
                e.channel(), e.ts(), e.threadTs(), e.parentId(), e.state(), e.lastSequence(), e.incidentJson(),
                e.updateJson(), e.decision(), e.decidedBy(), e.decidedAt(), e.createdAt(), e.updatedAt());
    }
}
