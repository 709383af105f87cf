package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches cpr's topics from "now" on, the way an outside observer would: the scenarios judge cpr
 * by the events it publishes and by the real cluster, never by its internals.
 */
public final class EventWatcher implements AutoCloseable {

    /** One event as seen, with the moment this watcher received it. */
    public record Seen(String topic, Instant receivedAt, CloudEvent event) {
        public <T> T data(Class<T> type) {
            return EventCodec.data(event, type);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    private EventWatcher(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
        this.poller = new Thread(this::poll, "cpr-event-watcher");
        this.poller.setDaemon(true);
    }

    /** Starts watching the topics; only records published after this returns are seen. */
    public static EventWatcher start(String bootstrapServers, String... topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, not lazily at the first poll
        EventWatcher watcher = new EventWatcher(consumer);
        watcher.poller.start();
        return watcher;
    }

    private void poll() {
        while (running) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        seen.add(new Seen(record.topic(), Instant.now(), EventCodec.decode(record.value())));
                    } catch (MalformedEventException ignored) {
                        // not ours to judge here: the services' dead-letter topics deal with it
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            }
        }
    }

    /** The first event (since the start) that matches, waiting for it up to the timeout. */
    /** The first {@code incident.opened} of this cluster for this failure, within the timeout. */
    public Optional<Seen> awaitIncidentOpened(String clusterId, FailureKind failure, Duration timeout) {
        return await(s -> EventTypes.INCIDENT_OPENED.equals(s.event().type()) && clusterId.equals(s.event().subject())
                && s.data(IncidentOpened.class).failure() == failure, timeout);
    }

    public Optional<Seen> await(Predicate<Seen> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (Seen s : seen) {
                if (match.test(s)) {
                    return Optional.of(s);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return Optional.empty();
            }
            Pause.millis(50);
        }
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public static Predicate<Seen> ofType(String type, String clusterId) {
        return s -> type.equals(s.event().type()) && clusterId.equals(s.event().subject());
    }

    /** An {@code incident.opened} of the cluster that matches. */
    public static Predicate<Seen> incidentOpened(String clusterId, Predicate<IncidentOpened> which) {
        return s -> ofType(EventTypes.INCIDENT_OPENED, clusterId).test(s) && which.test(s.data(IncidentOpened.class));
    }

    /** The {@code incident.resolved} of that incident (not any earlier one of its cluster). */
    public static Predicate<Seen> incidentResolved(String incidentId) {
        return s -> EventTypes.INCIDENT_RESOLVED.equals(s.event().type())
                && incidentId.equals(s.data(IncidentResolved.class).incidentId());
    }

    /** A {@code recovery.updated} of the cluster's plan of that name that matches. */
    public static Predicate<Seen> planUpdated(String clusterId, String plan, Predicate<RecoveryUpdate> which) {
        return s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type()) && matches(s.data(RecoveryUpdate.class),
                clusterId, plan, which);
    }

    private static boolean matches(RecoveryUpdate update, String clusterId, String plan, Predicate<RecoveryUpdate> which) {
        return clusterId.equals(update.clusterId()) && plan.equals(update.plan()) && which.test(update);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
