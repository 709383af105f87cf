package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.RequestLedger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Signed Slack requests seen, by digest, in {@code slack_request_seen} (primary key): the first time a digest is
 * recorded wins; the same request again is a replay. Rows older than the signature's validity window are useless
 * (the timestamp check refuses those requests anyway) and are swept as new ones come in.
 */
@ApplicationScoped
public class SlackRequestLedger implements RequestLedger {

    /** True the first time {@code digest} is recorded, false for a replay. Call inside a transaction. */
    @Override
    public Uni<Boolean> firstTime(String digest, Instant now, Duration keep) {
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("DELETE FROM notifier.slack_request_seen WHERE seen_at < ?1")
                .setParameter(1, at.minus(keep.multipliedBy(2)))
                .executeUpdate()
                .flatMap(swept -> session.createNativeQuery("INSERT INTO notifier.slack_request_seen (digest, seen_at)"
                                + " VALUES (?1, ?2) ON CONFLICT (digest) DO NOTHING")
                        .setParameter(1, digest)
                        .setParameter(2, at)
                        .executeUpdate())
                .map(inserted -> inserted == 1));
    }
}
