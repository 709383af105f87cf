package dev.cpr.healthmonitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code cpr.monitor.*}: how health-monitor polls. Every key can be set by env var, e.g. CPR_MONITOR_POLL_INTERVAL. */
@ConfigMapping(prefix = "cpr.monitor")
public interface MonitorConfig {

    /** Time between polls (the scheduler reads the same key). */
    @WithDefault("2s")
    Duration pollInterval();

    /** Consecutive polls that must show a failure before it opens, and not show it before it resolves. */
    @WithDefault("2")
    int debouncePolls();

    /** Limit of every single request to a member (health, status, member list, alarms). */
    @WithDefault("1s")
    Duration requestTimeout();
}
