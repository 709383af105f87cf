package dev.cpr.notifier.app;

/**
 * Whether a request really comes from Slack (its v0 signature over the raw body, and a fresh timestamp). Not
 * {@link #configured()} without a signing secret: then every Slack request is refused.
 */
public interface SlackSignatures {

    /** Why a request was refused, or {@link #VALID}. */
    enum Verdict {
        VALID, MISSING_HEADERS, BAD_TIMESTAMP, STALE, BAD_SIGNATURE
    }

    boolean configured();

    Verdict verify(String timestamp, String rawBody, String signature);
}
