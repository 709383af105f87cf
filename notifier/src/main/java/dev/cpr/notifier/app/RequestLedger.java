package dev.cpr.notifier.app;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;

/** Signed Slack requests already handled, by digest: the first time wins, the same request again is a replay. */
public interface RequestLedger {

    /** True the first time {@code digest} is recorded, false for a replay. Call inside a transaction. */
    Uni<Boolean> firstTime(String digest, Instant now, Duration keep);
}
