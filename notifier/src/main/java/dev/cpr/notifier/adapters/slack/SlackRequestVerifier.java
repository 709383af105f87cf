package dev.cpr.notifier.adapters.slack;

import com.slack.api.app_backend.SlackSignature;
import dev.cpr.notifier.app.SlackSignatures.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks that a request really comes from Slack (signing secret, v0): {@code X-Slack-Signature} must be
 * {@code v0=} + hex HMAC-SHA256 of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}, computed with the SDK's
 * {@link SlackSignature.Generator} and compared in constant time, and the timestamp must be within
 * {@code maxAge} of now (either way), so a captured request cannot be replayed later. Replays inside that window
 * are the caller's to refuse (it stores each accepted request's digest).
 */
public final class SlackRequestVerifier {

    private final SlackSignature.Generator generator;
    private final Clock clock;
    private final Duration maxAge;

    public SlackRequestVerifier(String signingSecret, Clock clock, Duration maxAge) {
        if (signingSecret == null || signingSecret.isBlank()) {
            throw new IllegalArgumentException("a signing secret is required");
        }
        this.generator = new SlackSignature.Generator(signingSecret);
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public Verdict verify(String timestamp, String rawBody, String signature) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            return Verdict.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.BAD_TIMESTAMP;
        }
        Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (age.compareTo(maxAge) > 0) {
            return Verdict.STALE;
        }
        String expected = generator.generate(timestamp.trim(), rawBody == null ? "" : rawBody);
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.trim().getBytes(StandardCharsets.UTF_8));
        return same ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }
}
