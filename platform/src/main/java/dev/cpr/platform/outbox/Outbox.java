package dev.cpr.platform.outbox;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Puts an event into the service's outbox table inside the caller's database transaction, so the event exists if
 * and only if the state change it reports was committed. The {@link OutboxRelay} publishes it later. The whole
 * CloudEvent is stored as its structured JSON, so a re-publish (after a crash between send and mark) carries the same
 * id and time, and a consumer can recognise the duplicate.
 */
public final class Outbox {

    private final String insert;
    private final String insertOnce;

    public Outbox(OutboxTable table) {
        this.insert = "insert into " + table.qualifiedName()
                + " (event_id, topic, record_key, event_type, cloud_event) values (?1, ?2, ?3, ?4, ?5)";
        this.insertOnce = insert + " on conflict (event_id) do nothing";
    }

    /**
     * Call inside the transaction of the state change ({@code Panache.withTransaction}, or any Hibernate Reactive
     * session with a transaction open). The Kafka key is the event's subject, the cluster id, as
     * {@code EventRecords} keys every record.
     */
    public Uni<Void> enqueue(Mutiny.Session session, String topic, CloudEvent event) {
        return write(insert, session, topic, event).replaceWithVoid();
    }

    /**
     * As {@link #enqueue}, for an event whose id several writers derive alike (replicas that each notice the same
     * change, or a restart noticing it again): the first one written wins and the others write nothing.
     *
     * @return true when this call wrote the row, false when an event with this id was already in the outbox
     */
    public Uni<Boolean> enqueueOnce(Mutiny.Session session, String topic, CloudEvent event) {
        return write(insertOnce, session, topic, event).map(rows -> rows > 0);
    }

    private Uni<Integer> write(String sql, Mutiny.Session session, String topic, CloudEvent event) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("an outbox event needs a topic; event " + event.id() + " has none");
        }
        if (event.subject() == null || event.subject().isBlank()) {
            throw new IllegalArgumentException("an outbox event needs a subject (the cluster id, its record key); event "
                    + event.id() + " of type " + event.type() + " has none");
        }
        return session.createNativeQuery(sql)
                .setParameter(1, event.id())
                .setParameter(2, topic)
                .setParameter(3, event.subject())
                .setParameter(4, event.type())
                .setParameter(5, EventCodec.encode(event))
                .executeUpdate();
    }
}
