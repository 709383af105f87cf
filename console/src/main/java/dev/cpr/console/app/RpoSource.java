package dev.cpr.console.app;

import java.time.Duration;

/** Each cluster's RPO (the oldest its newest verified backup may be), from the inventory; null when none is set. */
public interface RpoSource {
    Duration rpo(String clusterId);
}
