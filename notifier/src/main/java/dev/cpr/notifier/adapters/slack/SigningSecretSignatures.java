package dev.cpr.notifier.adapters.slack;

import dev.cpr.notifier.app.SlackSignatures;
import dev.cpr.notifier.config.SlackSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Slack's request signatures checked with {@code cpr.slack.signing-secret} (none set: nothing is accepted). */
@ApplicationScoped
public class SigningSecretSignatures implements SlackSignatures {

    private static final Logger LOG = Logger.getLogger(SigningSecretSignatures.class);

    private final SlackRequestVerifier verifier;

    SigningSecretSignatures(SlackSettings settings, Clock clock) {
        this.verifier = settings.signingSecret().filter(s -> !s.isBlank())
                .map(secret -> new SlackRequestVerifier(secret, clock, settings.maxRequestAge())).orElse(null);
        if (verifier == null) {
            LOG.warn("no cpr.slack.signing-secret: /slack/interactions and /slack/commands refuse every request");
        }
    }

    @Override
    public boolean configured() {
        return verifier != null;
    }

    @Override
    public Verdict verify(String timestamp, String rawBody, String signature) {
        if (verifier == null) {
            throw new IllegalStateException("no cpr.slack.signing-secret");
        }
        return verifier.verify(timestamp, rawBody, signature);
    }
}
