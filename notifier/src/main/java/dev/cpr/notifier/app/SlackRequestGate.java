package dev.cpr.notifier.app;

import dev.cpr.kernel.Sha256;
import dev.cpr.notifier.app.SlackSignatures.Verdict;
import dev.cpr.notifier.config.SlackSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The gate every Slack request passes first: a valid v0 signature over the raw body and a timestamp within
 * {@code cpr.slack.max-request-age} (else 401), not seen before (a replay: 401), a signing secret configured (else
 * 503). A refusal is audited and carries the reply for Slack.
 */
@ApplicationScoped
public class SlackRequestGate {

    private static final Logger LOG = Logger.getLogger(SlackRequestGate.class);

    /** Whether the request passed; when not, what to answer. */
    record Passage(boolean ok, SlackReply refusal) {
    }

    private final SlackSignatures signatures;
    private final RequestLedger ledger;
    private final SlackAudit audit;
    private final Clock clock;
    private final Duration maxAge;

    SlackRequestGate(SlackSignatures signatures, RequestLedger ledger, SlackAudit audit, SlackSettings settings,
            Clock clock) {
        this.signatures = signatures;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.maxAge = settings.maxRequestAge();
    }

    Uni<Passage> pass(String source, String rawBody, String timestamp, String signature, String userId,
            String planId, String clusterId, String decision) {
        if (!signatures.configured()) {
            return audit.audit(source, userId, planId, clusterId, decision, "NOT_CONFIGURED", 503,
                    "no signing secret configured").map(r -> new Passage(false, r));
        }
        Verdict verdict = signatures.verify(timestamp, rawBody, signature);
        if (verdict != Verdict.VALID) {
            String outcome = verdict == Verdict.STALE ? "STALE" : "BAD_SIGNATURE";
            LOG.warnf("Slack request refused: %s (source=%s claimed user=%s plan=%s cluster=%s)", verdict, source,
                    userId, planId, clusterId);
            return audit.audit(source, userId, planId, clusterId, decision, outcome, 401, verdict.name().toLowerCase()
                    .replace('_', ' ')).map(r -> new Passage(false, r));
        }
        String digest = Sha256.hex(signature.trim() + ":" + timestamp.trim() + ":" + rawBody);
        return Panache.withTransaction(() -> ledger.firstTime(digest, clock.instant(), maxAge)).flatMap(first -> {
            if (first) {
                return Uni.createFrom().item(new Passage(true, null));
            }
            LOG.warnf("Slack request refused: replay of a request already handled (source=%s user=%s plan=%s)",
                    source, userId, planId);
            return audit.audit(source, userId, planId, clusterId, decision, "REPLAY", 401,
                    "the same signed request was already handled").map(r -> new Passage(false, r));
        });
    }

}
