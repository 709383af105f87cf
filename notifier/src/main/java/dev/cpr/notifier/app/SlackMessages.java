package dev.cpr.notifier.app;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * The Slack messages notifier keeps. Changes join the caller's transaction; each returns the message as it now is.
 * A lookup that finds nothing gives null.
 */
public interface SlackMessages {

    Uni<StoredMessage> incidentMessage(String incidentId);

    Uni<StoredMessage> resolutionMessage(String incidentId);

    Uni<StoredMessage> progressMessage(String planId);

    /** The newest INCIDENT and PROGRESS messages of each cluster (or of one cluster, when not null), newest first. */
    Uni<List<StoredMessage>> latestPerCluster(String clusterId, int limit);

    /** Newest first, of one incident when not null. */
    Uni<List<StoredMessage>> latest(String incidentId, int limit);

    /** Stores a {@link StoredMessage#draft}; the result carries its id. */
    Uni<StoredMessage> add(StoredMessage draft);

    /** Records that the message shows plan update {@code sequence} in state {@code state} (the update as JSON). */
    Uni<StoredMessage> showing(long id, long sequence, String state, String updateJson, Instant now);

    /** Records a decision taken in Slack on the plan the message shows. */
    Uni<StoredMessage> decided(long id, String decision, String by, Instant at);

    Uni<StoredMessage> changedTo(long id, String state, Instant now);
}
