package dev.cpr.notifier.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.notifier.adapters.persistence.HandledEventEntity;
import dev.cpr.notifier.adapters.persistence.HandledEventRepository;
import dev.cpr.notifier.adapters.persistence.SlackMessageEntity;
import dev.cpr.notifier.adapters.persistence.SlackMessageRepository;
import dev.cpr.notifier.adapters.slack.SlackSettings;
import dev.cpr.notifier.domain.MessageRenderer;
import dev.cpr.notifier.domain.NotificationKind;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackPort;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Turns cpr events into Slack messages. Each event goes through three phases so no database
 * connection is held while Slack is called:
 * <ol>
 *   <li>decide (one transaction): skip an event already handled (same CloudEvents id) or already shown
 *       (an incident notified before, a plan update whose sequence is not newer); load the messages it touches;</li>
 *   <li>call Slack on a worker thread (the SDK blocks);</li>
 *   <li>record (one transaction): the message refs and the event id together.</li>
 * </ol>
 * Events of one topic arrive one at a time, so phases of two events of the same topic never interleave.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);
    static final String OPEN = "OPEN";
    static final String RESOLVED = "RESOLVED";

    private final SlackPort slack;
    private final SlackMessageRepository messages;
    private final HandledEventRepository handled;
    private final MessageRenderer renderer = new MessageRenderer();
    private final Clock clock;
    private final String channel;
    private final Duration threadWait;

    NotificationService(SlackPort slack, SlackMessageRepository messages, HandledEventRepository handled, Clock clock,
            SlackSettings settings) {
        this.slack = slack;
        this.messages = messages;
        this.handled = handled;
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
        });
    }

    // ------------------------------------------------------------------ incident opened

    private Uni<Void> incidentOpened(CloudEvent event, IncidentOpened incident) {
        String ctx = "cluster=" + incident.clusterId() + " incident=" + incident.incidentId() + " event=" + event.id();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> done
                        ? Uni.createFrom().item(Skip.ALREADY_HANDLED)
                        : messages.incidentMessage(incident.incidentId()).map(m -> m == null ? null : Skip.ALREADY_SHOWN)))
                .flatMap(skip -> {
                    if (skip != null) {
                        return skipped(event, incident.incidentId(), skip, ctx);
                    }
                    return blocking(() -> slack.post(channel, null, renderer.incidentOpened(incident), ctx))
                            .flatMap(posted -> Panache.withTransaction(() -> messages.persist(SlackMessageEntity.create(
                                            NotificationKind.INCIDENT, incident.incidentId(), incident.clusterId(), null,
                                            posted.channel(), posted.ts(), null, clock.instant())
                                    .withState(OPEN).withIncidentJson(EventCodec.tree(incident).toString()))
                                    .flatMap(m -> markHandled(event, incident.incidentId())))
                                    .invoke(() -> LOG.infof("incident message posted ts=%s (%s)", posted.ts(), ctx)));
                });
    }

    // ------------------------------------------------------------------ recovery progress

    private record ProgressDecision(Skip skip, SlackMessageEntity progress, SlackMessageEntity incident) {
    }

    private Uni<Void> recoveryUpdated(CloudEvent event, RecoveryUpdate update) {
        String ctx = "cluster=" + update.clusterId() + " incident=" + update.incidentId() + " plan=" + update.planId()
                + " seq=" + update.sequence() + " event=" + event.id();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> {
                    if (done) {
                        return Uni.createFrom().item(new ProgressDecision(Skip.ALREADY_HANDLED, null, null));
                    }
                    return messages.progressMessage(update.planId()).flatMap(progress -> {
                        if (progress != null && progress.lastSequence() != null
                                && update.sequence() <= progress.lastSequence()) {
                            return Uni.createFrom().item(new ProgressDecision(Skip.STALE, progress, null));
                        }
                        return messages.incidentMessage(update.incidentId())
                                .map(incident -> new ProgressDecision(null, progress, incident));
                    });
                }))
                .flatMap(decision -> {
                    if (decision.skip() != null) {
                        return skipped(event, update.incidentId(), decision.skip(), ctx);
                    }
                    SlackMessageEntity progress = decision.progress();
                    if (progress != null) {
                        return blocking(() -> updateProgress(progress, update, ctx))
                                .flatMap(ts -> Panache.withTransaction(() -> messages.findById(progress.id())
                                        .invoke(m -> m.showing(update.sequence(), update.state().name(), ts, clock.instant()))
                                        .flatMap(m -> markHandled(event, update.incidentId())))
                                        .invoke(() -> LOG.infof("progress message updated to %s (%s)", update.state(), ctx)));
                    }
                    Uni<SlackMessageEntity> incidentMessage = decision.incident() != null || update.incidentId() == null
                            ? Uni.createFrom().item(decision.incident())
                            : awaitIncidentMessage(update.incidentId(), clock.instant().plus(threadWait));
                    return incidentMessage.flatMap(incident -> postProgress(event, update, incident, ctx));
                });
    }

    /**
     * Updates the progress message in place; if Slack no longer has it (deleted by someone), posts it again in the
     * same thread. Returns the ts the message now has (null when delivery is off).
     */
    private String updateProgress(SlackMessageEntity progress, RecoveryUpdate update, String ctx) {
        if (progress.ts() == null) {
            return null;
        }
        try {
            slack.update(progress.channel(), progress.ts(), renderer.progress(update), ctx);
            return progress.ts();
        } catch (SlackDeliveryException e) {
            if (!"message_not_found".equals(e.error())) {
                throw e;
            }
            LOG.warnf("progress message %s is gone from Slack, posting it again (%s)", progress.ts(), ctx);
            return slack.post(progress.channel(), progress.threadTs(), renderer.progress(update), ctx).ts();
        }
    }

    private Uni<Void> postProgress(CloudEvent event, RecoveryUpdate update, SlackMessageEntity incident, String ctx) {
        String threadTs = incident == null ? null : incident.ts();
        String target = incident == null ? channel : incident.channel();
        if (incident == null) {
            LOG.infof("incident message not known after %d ms, posting progress top-level (%s)",
                    threadWait.toMillis(), ctx);
        }
        return blocking(() -> slack.post(target, threadTs, renderer.progress(update), ctx))
                .flatMap(posted -> Panache.withTransaction(() -> {
                    SlackMessageEntity created = SlackMessageEntity.create(NotificationKind.PROGRESS,
                            update.incidentId(), update.clusterId(), update.planId(), posted.channel(),
                            posted.ts(), threadTs, clock.instant());
                    created.showing(update.sequence(), update.state().name(), posted.ts(), clock.instant());
                    return messages.persist(created).flatMap(m -> markHandled(event, update.incidentId()));
                }).invoke(() -> LOG.infof("progress message posted ts=%s thread=%s (%s)", posted.ts(),
                        threadTs, ctx)));
    }

    /**
     * The incident's message, polled until {@code deadline}: the incident event may be being handled right now
     * on the other topic (its Slack call done, its row not yet committed).
     */
    private Uni<SlackMessageEntity> awaitIncidentMessage(String incidentId, Instant deadline) {
        return Panache.withSession(() -> messages.incidentMessage(incidentId)).flatMap(found -> {
            if (found != null || !clock.instant().isBefore(deadline)) {
                return Uni.createFrom().item(found);
            }
            return delay(Duration.ofMillis(200)).flatMap(v -> awaitIncidentMessage(incidentId, deadline));
        });
    }

    // ------------------------------------------------------------------ incident resolved

    private record ResolvedDecision(Skip skip, SlackMessageEntity incident) {
    }

    private Uni<Void> incidentResolved(CloudEvent event, IncidentResolved resolved) {
        String ctx = "cluster=" + resolved.clusterId() + " incident=" + resolved.incidentId() + " event=" + event.id();
        return Panache.withTransaction(() -> handled.isHandled(event.id()).flatMap(done -> {
                    if (done) {
                        return Uni.createFrom().item(new ResolvedDecision(Skip.ALREADY_HANDLED, null));
                    }
                    return messages.resolutionMessage(resolved.incidentId()).flatMap(resolution -> resolution != null
                            ? Uni.createFrom().item(new ResolvedDecision(Skip.ALREADY_SHOWN, null))
                            : messages.incidentMessage(resolved.incidentId()).map(i -> new ResolvedDecision(null, i)));
                }))
                .flatMap(decision -> {
                    if (decision.skip() != null) {
                        return skipped(event, resolved.incidentId(), decision.skip(), ctx);
                    }
                    SlackMessageEntity incident = decision.incident();
                    return blocking(() -> {
                        if (incident != null && incident.ts() != null) {
                            IncidentOpened opened = readIncident(incident, ctx);
                            slack.update(incident.channel(), incident.ts(), renderer.incidentResolved(opened, resolved), ctx);
                            return slack.post(incident.channel(), incident.ts(), renderer.resolvedReply(resolved), ctx);
                        }
                        if (incident == null) {
                            LOG.infof("incident message not known, posting the resolution top-level (%s)", ctx);
                        }
                        return slack.post(incident == null ? channel : incident.channel(), null,
                                renderer.incidentResolved(null, resolved), ctx);
                    }).flatMap(posted -> Panache.withTransaction(() -> {
                        Uni<Void> top = incident == null ? Uni.createFrom().voidItem()
                                : messages.findById(incident.id()).invoke(m -> m.changedTo(RESOLVED, clock.instant()))
                                        .replaceWithVoid();
                        SlackMessageEntity reply = SlackMessageEntity.create(NotificationKind.RESOLUTION,
                                resolved.incidentId(), resolved.clusterId(), null, posted.channel(), posted.ts(),
                                incident == null ? null : incident.ts(), clock.instant()).withState(RESOLVED);
                        return top.flatMap(v -> messages.persist(reply)).flatMap(m -> markHandled(event, resolved.incidentId()));
                    }).invoke(() -> LOG.infof("incident marked resolved in Slack (%s)", ctx)));
                });
    }

    // ------------------------------------------------------------------ helpers

    private enum Skip {
        ALREADY_HANDLED("event already handled (redelivery)"),
        ALREADY_SHOWN("already shown by an earlier event"),
        STALE("sequence not newer than the one shown");

        final String reason;

        Skip(String reason) {
            this.reason = reason;
        }
    }

    private Uni<Void> skipped(CloudEvent event, String incidentId, Skip skip, String ctx) {
        LOG.infof("nothing to post: %s (%s)", skip.reason, ctx);
        return skip == Skip.ALREADY_HANDLED ? Uni.createFrom().voidItem()
                : Panache.withTransaction(() -> markHandled(event, incidentId));
    }

    private Uni<Void> markHandled(CloudEvent event, String incidentId) {
        return handled.persist(new HandledEventEntity(event.id(), event.type(), incidentId, clock.instant()))
                .replaceWithVoid();
    }

    private static IncidentOpened readIncident(SlackMessageEntity incident, String ctx) {
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

    /**
     * Runs blocking work (a Slack call) on a worker thread and comes back to the caller's Vert.x context,
     * where the reactive database session must be used.
     */
    private static <T> Uni<T> blocking(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? uni : uni.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
