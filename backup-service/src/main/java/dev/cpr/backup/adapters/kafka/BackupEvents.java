package dev.cpr.backup.adapters.kafka;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.events.EventRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes every catalog change on {@code cpr.backups} (channel {@code backups}), keyed by cluster id.
 * The event id is {@code <backup id>-<sequence>}, so a re-publish of the same change is recognisable.
 */
@ApplicationScoped
public class BackupEvents {

    private static final Logger LOG = Logger.getLogger(BackupEvents.class);

    private final Emitter<String> emitter;
    private final EventCodec codec;

    public BackupEvents(@Channel("backups") Emitter<String> emitter, EventCodec codec) {
        this.emitter = emitter;
        this.codec = codec;
    }

    public void publish(BackupUpdate update) {
        Message<String> message = EventRecords.message(Topics.BACKUPS, codec.wrap(update.backupId() + "-" + update.sequence(),
                        EventTypes.BACKUP_UPDATED, update.clusterId(), update))
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    LOG.errorf("cluster %s backup %s: event %s (%s) was not published: %s", update.clusterId(),
                            update.backupId(), update.sequence(), update.status().wire(), failure.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
    }
}
