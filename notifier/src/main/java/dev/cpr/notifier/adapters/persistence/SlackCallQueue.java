package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.SlackCalls;
import dev.cpr.notifier.domain.SlackMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** {@link SlackCalls} as {@code slack_outbox} rows, written in the caller's transaction. */
@ApplicationScoped
public class SlackCallQueue implements SlackCalls {

    @Override
    public Uni<Void> queue(Op op, long messageId, SlackMessage content, String ctx, Instant now) {
        return SlackOutboxEntity.of(op.name(), messageId, content.text(), content.blocksJson(), ctx, now)
                .persist().replaceWithVoid();
    }
}
