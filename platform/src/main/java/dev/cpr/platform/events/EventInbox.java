package dev.cpr.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.events.Topics;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The one way a cpr service reads its events off a topic: decode the record through the CloudEvents SDK, dispatch it
 * by event type to the handler registered for that type, and log with the cluster id and the plan, backup or
 * incident id. A record that is not a valid event (or whose payload does not fit its type) fails the returned Uni
 * with {@link MalformedEventException}: the channel's dead-letter-queue failure strategy sends it to
 * {@link Topics#deadLetter} and the consumer carries on. A type nobody registered is acknowledged and skipped.
 * A handler's own failure fails the Uni as well, logged with its context, and is dead-lettered the same way.
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

    private final String topic;
    private final String deadLetterTopic;
    private final Map<String, Route> routes;
    private final Consumer<MalformedEventException> whenMalformed;

    private EventInbox(Builder builder) {
        this.topic = builder.topic;
        this.deadLetterTopic = Topics.deadLetter(builder.topic, builder.consumer);
        this.routes = Map.copyOf(builder.routes);
        this.whenMalformed = builder.whenMalformed;
    }

    /** @param consumer the consuming service, which names the dead-letter topic ({@link Topics#deadLetter}) */
    public static Builder of(String topic, String consumer) {
        return new Builder(topic, consumer);
    }

    /** Decodes and dispatches one record's value; for consumers returning {@code Uni<Void>}. */
    public Uni<Void> deliver(String value) {
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
        Uni<Void> handled;
        try {
            handled = route.handle(event, context);
        } catch (MalformedEventException e) {
            return refused(context, e);
        } catch (RuntimeException e) {
            handled = Uni.createFrom().failure(e);
        }
        return handled.onFailure(e -> !(e instanceof MalformedEventException)).invoke(e -> LOG.errorf(
                        "%s %s on %s failed and goes to %s: %s", context.tag(), event.type(), topic, deadLetterTopic, e))
                .onFailure(MalformedEventException.class).recoverWithUni(e -> refused(context, (MalformedEventException) e));
    }

    /** The same on the calling (worker) thread, for {@code @Blocking} consumers: throws what {@link #deliver} fails with. */
    public void accept(String value) {
        deliver(value).await().indefinitely();
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

    public static final class Builder {
        private final String topic;
        private final String consumer;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private Consumer<MalformedEventException> whenMalformed = e -> { };

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
