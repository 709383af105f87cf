package dev.cpr.platform.outbox;

import org.eclipse.microprofile.reactive.messaging.Message;

/** How the relay hands a record to Kafka: the service's emitter for {@code topic}. */
@FunctionalInterface
public interface OutboxSender {

    /** Returns once the broker acknowledged the record; throws when it did not (in time). */
    void send(String topic, Message<String> record) throws Exception;
}
