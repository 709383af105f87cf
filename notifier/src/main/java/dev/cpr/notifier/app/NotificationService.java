package dev.cpr.notifier.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.notifier.app.SlackCalls.Op;
import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.notifier.domain.ApprovalNote;
import dev.cpr.notifier.domain.MessageRenderer;
import dev.cpr.notifier.domain.NotificationKind;
import dev.cpr.notifier.domain.SlackMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Turns cpr events into Slack messages without calling Slack: each event is handled in one transaction that
 * skips an event already handled (same CloudEvents id) or already shown (an incident notified before, a plan
 * update whose sequence is not newer), writes the message rows it touches, one {@code slack_outbox} row per
 * Slack call, and the event id. The {@link OutboxSender} sends the outbox in order, so a Slack that is down for a
 * while delays messages without losing them, and a redelivered event or a crash never produces a second message
 * from the event side.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);
    static final String OPEN = "OPEN";
    static final String RESOLVED = "RESOLVED";

    private final SlackMessages messages;
    private final SlackCalls calls;
    private final HandledEvents handled;
    private final OutboxSender outbox;
    private final MessageRenderer renderer = new MessageRenderer();
    private final Clock clock;
    private final String channel;
    private final Duration threadWait;

    NotificationService(SlackMessages messages, SlackCalls calls, HandledEvents handled, OutboxSender outbox,
            Clock clock, SlackSettings settings) {
        this.messages = messages;
        this.calls = calls;
        this.handled = handled;
        this.outbox = outbox;
        this.clock = clock;
        this.channel = settings.channel();
        this.threadWait = settings.threadWait();
    }

    /** Handles one decoded event; a payload that does not fit its type fails with MalformedEventException. */
    public Uni<Void> handle(CloudEvent event) {
        return Uni.createFrom().deferred(() -> switch (event.type()) {
            case EventTypes.INCIDENT_OPENED -> incidentOpened(event, EventCodec.data(event, IncidentOpened.class));
            case EventTypes.RECOVERY_UPDATED -> recoveryUpdated(event, EventCodec.data(event, RecoveryUpdate.class));
            case EventTypes.INCIDENT_RESOLVED -> incidentResolved(event, EventCodec.data(event, IncidentResolved.class));
            default -> {
                LOG.debugf("ignoring event %s of type %s (cluster=%s)", event.id(), event.type(), event.subject());
                yield Uni.createFrom().voidItem();
            }
        }).invoke(outbox::wake);
    }

    // ------------------------------------------------------------------ incident opened

    private Uni<Void> incidentOpened(CloudEvent event, IncidentOpened incident) {
        String ctx = "cluster=" + incident.clusterId() + " incident=" + incident.incidentId();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> {
            if (done) {
                return skipped(Skip.ALREADY_HANDLED, ctx, event);
            }
            return messages.incidentMessage(incident.incidentId()).flatMap(existing -> {
                if (existing != null) {
                    return skippedAndMarked(event, incident.incidentId(), Skip.ALREADY_SHOWN, ctx);
                }
                StoredMessage created = StoredMessage.draft(NotificationKind.INCIDENT, incident.incidentId(),
                                incident.clusterId(), null, channel, clock.instant())
                        .withState(OPEN).withIncidentJson(EventCodec.tree(incident).toString());
                return messages.add(created)
                        .flatMap(m -> enqueue(Op.POST, m, renderer.incidentOpened(incident), ctx))
                        .flatMap(v -> markHandled(event, incident.incidentId()))
                        .invoke(() -> LOG.infof("incident message queued (%s event=%s)", ctx, event.id()));
            });
        }));
    }

    // ------------------------------------------------------------------ recovery progress

    private record ProgressDecision(Skip skip, StoredMessage progress, StoredMessage incident) {
    }

    private Uni<Void> recoveryUpdated(CloudEvent event, RecoveryUpdate update) {
        String ctx = "cluster=" + update.clusterId() + " incident=" + update.incidentId() + " plan=" + update.planId()
                + " seq=" + update.sequence();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> {
                    if (done) {
                        return Uni.createFrom().item(new ProgressDecision(Skip.ALREADY_HANDLED, null, null));
                    }
                    return messages.progressMessage(update.planId()).flatMap(progress -> {
                        if (progress != null && progress.lastSequence() != null
                                && update.sequence() <= progress.lastSequence()) {
                            return markHandled(event, update.incidentId())
                                    .replaceWith(new ProgressDecision(Skip.STALE, progress, null));
                        }
                        if (progress != null) {
                            return messages.showing(progress.id(), update.sequence(), update.state().name(), json(update),
                                            clock.instant())
                                    .flatMap(shown -> enqueue(Op.UPDATE, shown, renderer.progress(update, note(shown)), ctx)
                                            .replaceWith(shown))
                                    .flatMap(shown -> markHandled(event, update.incidentId())
                                            .replaceWith(new ProgressDecision(Skip.DONE, shown, null)));
                        }
                        return messages.incidentMessage(update.incidentId())
                                .map(incident -> new ProgressDecision(null, null, incident));
                    });
                }))
                .flatMap(decision -> {
                    if (decision.skip() == Skip.DONE) {
                        LOG.infof("progress update to %s queued (%s event=%s)", update.state(), ctx, event.id());
                        return Uni.createFrom().voidItem();
                    }
                    if (decision.skip() != null) {
                        LOG.infof("nothing to post: %s (%s event=%s)", decision.skip().reason, ctx, event.id());
                        return Uni.createFrom().voidItem();
                    }
                    Uni<StoredMessage> incidentMessage = decision.incident() != null || update.incidentId() == null
                            ? Uni.createFrom().item(decision.incident())
                            : awaitIncidentMessage(update.incidentId(), clock.instant().plus(threadWait));
                    return incidentMessage.flatMap(incident -> postProgress(event, update, incident, ctx));
                });
    }

    private Uni<Void> postProgress(CloudEvent event, RecoveryUpdate update, StoredMessage incident, String ctx) {
        if (incident == null) {
            LOG.infof("incident message not known after %d ms, posting progress top-level (%s)",
                    threadWait.toMillis(), ctx);
        }
        return Panache.withTransaction(() -> {
            StoredMessage created = StoredMessage.draft(NotificationKind.PROGRESS, update.incidentId(),
                    update.clusterId(), update.planId(), incident == null ? channel : incident.channel(),
                    clock.instant()).inThreadOf(incident)
                    .showing(update.sequence(), update.state().name(), json(update), clock.instant());
            return messages.add(created)
                    .flatMap(m -> enqueue(Op.POST, m, renderer.progress(update), ctx))
                    .flatMap(v -> markHandled(event, update.incidentId()));
        }).invoke(() -> LOG.infof("progress message queued (%s event=%s)", ctx, event.id()));
    }

    /**
     * The incident's message, polled until {@code deadline}: the incident event may be being handled right now
     * on the other topic.
     */
    private Uni<StoredMessage> awaitIncidentMessage(String incidentId, Instant deadline) {
        return Panache.withSession(() -> messages.incidentMessage(incidentId)).flatMap(found -> {
            if (found != null || !clock.instant().isBefore(deadline)) {
                return Uni.createFrom().item(found);
            }
            return delay(Duration.ofMillis(200)).flatMap(v -> awaitIncidentMessage(incidentId, deadline));
        });
    }

    // ------------------------------------------------------------------ incident resolved

    private Uni<Void> incidentResolved(CloudEvent event, IncidentResolved resolved) {
        String ctx = "cluster=" + resolved.clusterId() + " incident=" + resolved.incidentId();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> {
            if (done) {
                return skipped(Skip.ALREADY_HANDLED, ctx, event);
            }
            return messages.resolutionMessage(resolved.incidentId()).flatMap(resolution -> {
                if (resolution != null) {
                    return skippedAndMarked(event, resolved.incidentId(), Skip.ALREADY_SHOWN, ctx);
                }
                return messages.incidentMessage(resolved.incidentId()).flatMap(incident -> {
                    Uni<Void> top = Uni.createFrom().voidItem();
                    SlackMessage reply;
                    if (incident != null) {
                        top = messages.changedTo(incident.id(), RESOLVED, clock.instant())
                                .flatMap(changed -> enqueue(Op.UPDATE, changed,
                                        renderer.incidentResolved(readIncident(changed, ctx), resolved), ctx));
                        reply = renderer.resolvedReply(resolved);
                    } else {
                        LOG.infof("incident message not known, posting the resolution top-level (%s)", ctx);
                        reply = renderer.incidentResolved(null, resolved);
                    }
                    StoredMessage created = StoredMessage.draft(NotificationKind.RESOLUTION,
                            resolved.incidentId(), resolved.clusterId(), null,
                            incident == null ? channel : incident.channel(), clock.instant())
                            .withState(RESOLVED).inThreadOf(incident);
                    return top.flatMap(v -> messages.add(created))
                            .flatMap(m -> enqueue(Op.POST, m, reply, ctx))
                            .flatMap(v -> markHandled(event, resolved.incidentId()))
                            .invoke(() -> LOG.infof("resolution queued (%s event=%s)", ctx, event.id()));
                });
            });
        }));
    }

    // ------------------------------------------------------------------ approvals

    /**
     * Re-renders a plan's progress message after a decision in Slack (buttons replaced by who decided and when);
     * call inside a transaction, with the message already marked {@link SlackMessages#decided}.
     */
    public Uni<Void> showDecision(StoredMessage progress, String ctx) {
        RecoveryUpdate update = readUpdate(progress, ctx);
        if (update == null) {
            return Uni.createFrom().voidItem();
        }
        return enqueue(Op.UPDATE, progress, renderer.progress(update, note(progress)), ctx);
    }

    static ApprovalNote note(StoredMessage progress) {
        return progress.decision() == null ? null
                : new ApprovalNote("APPROVED".equals(progress.decision()), progress.decidedBy(), progress.decidedAt());
    }

    // ------------------------------------------------------------------ helpers

    private enum Skip {
        ALREADY_HANDLED("event already handled (redelivery)"),
        ALREADY_SHOWN("already shown by an earlier event"),
        STALE("sequence not newer than the one shown"),
        DONE("queued");

        final String reason;

        Skip(String reason) {
            this.reason = reason;
        }
    }

    private Uni<Void> enqueue(Op op, StoredMessage message, SlackMessage content, String ctx) {
        return calls.queue(op, message.id(), content, ctx, clock.instant());
    }

    private static Uni<Void> skipped(Skip skip, String ctx, CloudEvent event) {
        LOG.infof("nothing to post: %s (%s event=%s)", skip.reason, ctx, event.id());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> skippedAndMarked(CloudEvent event, String incidentId, Skip skip, String ctx) {
        LOG.infof("nothing to post: %s (%s event=%s)", skip.reason, ctx, event.id());
        return markHandled(event, incidentId);
    }

    private Uni<Void> markHandled(CloudEvent event, String incidentId) {
        return handled.markHandled(event.id(), event.type(), incidentId, clock.instant());
    }

    private static String json(RecoveryUpdate update) {
        return EventCodec.tree(update).toString();
    }

    private static RecoveryUpdate readUpdate(StoredMessage progress, String ctx) {
        if (progress.updateJson() == null) {
            LOG.warnf("no plan update stored with the progress message, cannot re-render it (%s)", ctx);
            return null;
        }
        try {
            return EventCodec.mapper().readValue(progress.updateJson(), RecoveryUpdate.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("stored plan update unreadable, progress message not re-rendered: %s (%s)",
                    e.getOriginalMessage(), ctx);
            return null;
        }
    }

    private static IncidentOpened readIncident(StoredMessage incident, String ctx) {
        if (incident.incidentJson() == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(incident.incidentJson(), IncidentOpened.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("stored incident payload unreadable, resolving without its details: %s (%s)",
                    e.getOriginalMessage(), ctx);
            return null;
        }
    }

    /** Completes after {@code duration}, back on the caller's Vert.x context. */
    private static Uni<Void> delay(Duration duration) {
        Context context = Vertx.currentContext();
        Uni<Void> uni = Uni.createFrom().voidItem().onItem().delayIt().by(duration);
        return context == null ? uni : uni.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
