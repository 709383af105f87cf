package dev.cpr.notifier.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One Slack call to make, written in the transaction of the event that asked for it; sent by the
 * {@code OutboxSender} in id order.
 */
@Entity
@Table(name = "slack_outbox")
public class SlackOutboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "message_id", nullable = false)
    private Long messageId;

    @Column(nullable = false)
    private String op;

    @Column(nullable = false)
    private String text;

    @Column(nullable = false)
    private String blocks;

    @Column(nullable = false)
    private String context;

    @Column(nullable = false)
    private String state;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    protected SlackOutboxEntity() {
    }

    public static SlackOutboxEntity of(String op, Long messageId, String text, String blocksJson, String context, Instant now) {
        SlackOutboxEntity e = new SlackOutboxEntity();
        e.op = op;
        e.messageId = messageId;
        e.text = text;
        e.blocks = blocksJson;
        e.context = context;
        e.state = "PENDING";
        e.createdAt = now;
        e.nextAttemptAt = now;
        return e;
    }

    public Long id() {
        return id;
    }
}
