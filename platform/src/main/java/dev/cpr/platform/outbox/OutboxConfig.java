package dev.cpr.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code cpr.outbox.*}: how a service's outbox relay keeps what it published. */
@ConfigMapping(prefix = "cpr.outbox")
public interface OutboxConfig {

    /**
     * How long a published event stays in the service's {@code event_outbox} table (a record of what left, and when)
     * before the relay deletes it. Events not yet published are never deleted.
     */
    @WithDefault("7d")
    Duration retention();
}
