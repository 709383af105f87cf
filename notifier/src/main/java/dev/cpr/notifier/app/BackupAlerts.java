package dev.cpr.notifier.app;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.notifier.app.SlackCalls.Op;
import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.notifier.domain.BackupAlertRenderer;
import dev.cpr.notifier.domain.NotificationKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Tells the team in Slack when a backup FAILED or a drill found it CORRUPT, from {@code dev.cpr.backup.updated}.
 * One message per backup and outcome: the outcome is written to the handled-events ledger as
 * {@code backup:<id>:<status>} in the transaction that queues the message, beside the event's own id, so neither a
 * redelivered event nor a later change of the same backup to the same outcome posts it again. Every other outcome
 * posts nothing and touches no table.
 */
@ApplicationScoped
public class BackupAlerts {

    private static final Logger LOG = Logger.getLogger(BackupAlerts.class);

    private final SlackMessages messages;
    private final SlackCalls calls;
    private final HandledEvents handled;
    private final OutboxSender outbox;
    private final BackupAlertRenderer renderer = new BackupAlertRenderer();
    private final Clock clock;
    private final String channel;

    BackupAlerts(SlackMessages messages, SlackCalls calls, HandledEvents handled, OutboxSender outbox, Clock clock,
            SlackSettings settings) {
        this.messages = messages;
        this.calls = calls;
        this.handled = handled;
        this.outbox = outbox;
        this.clock = clock;
        this.channel = settings.channel();
    }

    /** Handles one decoded event; a payload that does not fit fails with MalformedEventException. */
    public Uni<Void> handle(CloudEvent event) {
        return Uni.createFrom().deferred(() -> backupUpdated(event, EventCodec.data(event, BackupUpdate.class)))
                .invoke(outbox::wake);
    }

    static String outcomeKey(BackupUpdate backup) {
        return "backup:" + backup.backupId() + ":" + backup.status().wire();
    }

    private Uni<Void> backupUpdated(CloudEvent event, BackupUpdate backup) {
        if (!BackupAlertRenderer.alerts(backup.status())) {
            return Uni.createFrom().voidItem();
        }
        String ctx = "cluster=" + backup.clusterId() + " backup=" + backup.backupId() + " status="
                + backup.status().wire();
        String outcome = outcomeKey(backup);
        return Panache.withTransaction(() -> handled.isHandled(event.id())
                .flatMap(eventDone -> eventDone ? Uni.createFrom().item(true) : handled.isHandled(outcome))
                .flatMap(done -> {
                    if (done) {
                        LOG.infof("nothing to post: this backup's outcome was already told (%s event=%s)", ctx,
                                event.id());
                        return Uni.createFrom().voidItem();
                    }
                    StoredMessage draft = StoredMessage.draft(NotificationKind.BACKUP, backup.incidentId(),
                            backup.clusterId(), null, channel, clock.instant()).withState(backup.status().name());
                    return messages.add(draft)
                            .flatMap(m -> calls.queue(Op.POST, m.id(), renderer.render(backup), ctx, clock.instant()))
                            .flatMap(v -> handled.markHandled(outcome, event.type(), backup.incidentId(),
                                    clock.instant()))
                            .flatMap(v -> handled.markHandled(event.id(), event.type(), backup.incidentId(),
                                    clock.instant()))
                            .invoke(() -> LOG.infof("backup alert queued (%s event=%s)", ctx, event.id()));
                }));
    }
}
