package dev.cpr.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.events.Topics;
import dev.cpr.kernel.Backoff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The one way a cpr service reads its events off a topic: decode the record through the CloudEvents SDK, dispatch it
 * by event type to the handler registered for that type, and log with the cluster id and the plan, backup or
 * incident id. A record that is not a valid event (or whose payload does not fit its type) fails the returned Uni
 * with {@link MalformedEventException}: the channel's dead-letter-queue failure strategy sends it to
 * {@link Topics#deadLetter} and the consumer carries on. A type nobody registered is acknowledged and skipped.
 *
 * <p>A handler's own failure is taken as passing (the database or the broker restarting under it): the handler is
 * called again with a capped backoff for up to {@link #DEFAULT_RETRY_WINDOW}, the records behind it waiting, so an
 * incident or an update is not dead-lettered for an outage of a few seconds. Only a failure that outlasts the window
 * fails the Uni, logged with its context, and is dead-lettered. Handlers are idempotent (Kafka delivers at least
 * once), so calling one again is safe.
 */
public final class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    /** Which payload field names the thing an event is about, for the log context. */
    private static final Map<String, String[]> CONTEXT_IDS = Map.of(
            EventTypes.INCIDENT_OPENED, new String[] {"incident", "incidentId"},
            EventTypes.INCIDENT_RESOLVED, new String[] {"incident", "incidentId"},
            EventTypes.RECOVERY_UPDATED, new String[] {"plan", "planId"},
            EventTypes.APPROVAL_DECIDED, new String[] {"plan", "planId"},
            EventTypes.BACKUP_UPDATED, new String[] {"backup", "backupId"});

    /**
     * Longer than a database or broker restart takes; shorter than the 60 s after which the Kafka connector's throttled
     * commit strategy reports a consumer whose record is still unprocessed as unhealthy.
     */
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofSeconds(30);
    private static final Backoff RETRY_BACKOFF = Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(5));

    private final String topic;
    private final String deadLetterTopic;
    private final Map<String, Route> routes;
    private final Consumer<MalformedEventException> whenMalformed;
    private final Duration retryWindow;

    private EventInbox(Builder builder) {
        this.topic = builder.topic;
        this.deadLetterTopic = Topics.deadLetter(builder.topic, builder.consumer);
        this.routes = Map.copyOf(builder.routes);
        this.whenMalformed = builder.whenMalformed;
        this.retryWindow = builder.retryWindow;
    }

    /** @param consumer the consuming service, which names the dead-letter topic ({@link Topics#deadLetter}) */
    public static Builder of(String topic, String consumer) {
        return new Builder(topic, consumer);
    }

    /**
     * Decodes and dispatches one record's value; for consumers returning {@code Uni<Void>}. A retried handler is called
     * again on the Vert.x context this was called on, as its first call was (Hibernate Reactive needs it).
     */
    public Uni<Void> deliver(String value) {
        Context vertx = Vertx.currentContext();
        Executor resumeOn = vertx == null ? Runnable::run : task -> vertx.runOnContext(ignored -> task.run());
        return dispatch(value, (attempt, context, event) -> retriedAsync(attempt, context, event, resumeOn,
                System.nanoTime() + retryWindow.toNanos(), 0));
    }

    /**
     * The same on the calling (worker) thread, for {@code @Blocking} consumers, retries included: throws what
     * {@link #deliver} fails with.
     */
    public void accept(String value) {
        dispatch(value, this::retriedHere).await().indefinitely();
    }

    private Uni<Void> dispatch(String value, Retrier retrier) {
        CloudEvent event;
        try {
            event = EventCodec.decode(value);
        } catch (MalformedEventException e) {
            return refused(null, e);
        }
        EventContext context = contextOf(event);
        Route route = routes.get(event.type());
        if (route == null) {
            LOG.debugf("%s %s on %s: nothing to do for this type", context.tag(), event.type(), topic);
            return Uni.createFrom().voidItem();
        }
        Uni<Void> attempt = Uni.createFrom().deferred(() -> route.handle(event, context));
        return retrier.retry(attempt, context, event)
                .onFailure(e -> !(e instanceof MalformedEventException)).invoke(e -> LOG.errorf(
                        "%s %s on %s failed and goes to %s: %s", context.tag(), event.type(), topic, deadLetterTopic, e))
                .onFailure(MalformedEventException.class).recoverWithUni(e -> refused(context, (MalformedEventException) e));
    }

    private Uni<Void> retriedAsync(Uni<Void> attempt, EventContext context, CloudEvent event, Executor resumeOn,
            long giveUpAt, int failures) {
        return attempt.onFailure(e -> retryable(e, giveUpAt)).recoverWithUni(e -> {
            Duration delay = nextDelay(context, event, failures, e);
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay).emitOn(resumeOn)
                    .chain(() -> retriedAsync(attempt, context, event, resumeOn, giveUpAt, failures + 1));
        });
    }

    private Uni<Void> retriedHere(Uni<Void> attempt, EventContext context, CloudEvent event) {
        return Uni.createFrom().voidItem().invoke(() -> {
            long giveUpAt = System.nanoTime() + retryWindow.toNanos();
            for (int failures = 0; ; failures++) {
                try {
                    attempt.await().indefinitely();
                    return;
                } catch (RuntimeException e) {
                    if (!retryable(e, giveUpAt)) {
                        throw e;
                    }
                    pause(nextDelay(context, event, failures, e));
                }
            }
        });
    }

    private boolean retryable(Throwable failure, long giveUpAt) {
        return !(failure instanceof MalformedEventException) && System.nanoTime() < giveUpAt;
    }

    /** The delay before the next call, said once per record: the first failure is worth a line, the next ones not. */
    private Duration nextDelay(EventContext context, CloudEvent event, int failures, Throwable failure) {
        if (failures == 0) {
            LOG.warnf("%s %s on %s failed, called again for up to %d s before it goes to %s: %s", context.tag(),
                    event.type(), topic, retryWindow.toSeconds(), deadLetterTopic, failure);
        }
        return RETRY_BACKOFF.delayAfter(failures + 1);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to call a handler again", e);
        }
    }

    private Uni<Void> refused(EventContext context, MalformedEventException e) {
        LOG.warnf("%srefused a record of %s (to %s): %s", context == null ? "" : context.tag() + " ", topic,
                deadLetterTopic, e.getMessage());
        whenMalformed.accept(e);
        return Uni.createFrom().failure(e);
    }

    private EventContext contextOf(CloudEvent event) {
        String[] id = CONTEXT_IDS.get(event.type());
        JsonNode value = id == null ? null : event.data().get(id[1]);
        return new EventContext(topic, event.id(), event.type(), event.subject(), id == null ? "" : id[0],
                value == null || !value.isTextual() ? "" : value.asText());
    }

    /** A handler of one event type's payload, given the log context. */
    @FunctionalInterface
    public interface Handler<T> {
        Uni<Void> handle(T payload, EventContext context);
    }

    /** The same for handlers that do their work on the calling thread. */
    @FunctionalInterface
    public interface BlockingHandler<T> {
        void handle(T payload, EventContext context);
    }

    private interface Route {
        Uni<Void> handle(CloudEvent event, EventContext context);
    }

    /** How a handler's failing call is tried again: later on the event loop, or here on the worker thread. */
    private interface Retrier {
        Uni<Void> retry(Uni<Void> attempt, EventContext context, CloudEvent event);
    }

    public static final class Builder {
        private final String topic;
        private final String consumer;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private Consumer<MalformedEventException> whenMalformed = e -> { };
        private Duration retryWindow = DEFAULT_RETRY_WINDOW;

        private Builder(String topic, String consumer) {
            this.topic = Objects.requireNonNull(topic, "topic");
            this.consumer = Objects.requireNonNull(consumer, "consumer");
        }

        /** Events of {@code type} have their data read as {@code payload} (validated) and handed to the handler. */
        public <T> Builder on(String type, Class<T> payload, Handler<T> handler) {
            return route(type, (event, context) -> handler.handle(EventCodec.data(event, payload), context));
        }

        public <T> Builder onBlocking(String type, Class<T> payload, BlockingHandler<T> handler) {
            return on(type, payload, (value, context) -> {
                handler.handle(value, context);
                return Uni.createFrom().voidItem();
            });
        }

        /** Events of {@code type} handed over whole, for a handler that needs the envelope (id, time, source). */
        public Builder onEvent(String type, Handler<CloudEvent> handler) {
            return route(type, handler::handle);
        }

        public <T> Builder onEventBlocking(String type, Class<T> payload, BlockingEventHandler<T> handler) {
            return route(type, (event, context) -> {
                handler.handle(event, EventCodec.data(event, payload), context);
                return Uni.createFrom().voidItem();
            });
        }

        /** Called for every refused record, e.g. to count them. */
        public Builder whenMalformed(Consumer<MalformedEventException> hook) {
            this.whenMalformed = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** How long a failing handler is called again before its record is dead-lettered; zero: not called again. */
        public Builder retryFor(Duration window) {
            if (window.isNegative()) {
                throw new IllegalArgumentException("a retry window cannot be negative: " + window);
            }
            this.retryWindow = window;
            return this;
        }

        public EventInbox build() {
            return new EventInbox(this);
        }

        private Builder route(String type, Route route) {
            if (routes.putIfAbsent(type, route) != null) {
                throw new IllegalArgumentException("two handlers for " + type + " on " + topic);
            }
            return this;
        }
    }

    /** A blocking handler that needs the envelope as well as the payload. */
    @FunctionalInterface
    public interface BlockingEventHandler<T> {
        void handle(CloudEvent event, T payload, EventContext context);
    }
}
