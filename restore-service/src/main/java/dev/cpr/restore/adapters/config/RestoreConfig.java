package dev.cpr.restore.adapters.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code cpr.restore.*}: how restore-service runs plans. Every key can be set as an env var (CPR_RESTORE_...). */
@ConfigMapping(prefix = "cpr.restore")
public interface RestoreConfig {

    /** Where safety snapshots go: {@code <snapshot-dir>/<cluster>/<planId>.db}. */
    @WithDefault("${java.io.tmpdir}/cpr/snapshots")
    String snapshotDir();

    /** How often waiting steps (caught up, cluster healthy) look again. */
    @WithDefault("100ms")
    Duration pollInterval();

    /** How far (raft index and revision) a replaced member may trail the leader to count as caught up. */
    @WithDefault("20")
    long caughtUpMaxLag();

    @WithDefault("60s")
    Duration catchUpTimeout();

    @WithDefault("30s")
    Duration verifyTimeout();

    Etcd etcd();

    FaultInjection faultInjection();

    interface Etcd {
        /** Bound of one etcd call (member list, status, add, remove); a snapshot gets ten times this. */
        @WithDefault("3s")
        Duration callTimeout();

        /** Bound of a status call: a member that does not answer this fast counts as unhealthy. */
        @WithDefault("1s")
        Duration statusTimeout();
    }

    /**
     * Fault injection for the crash-resume test, never for production: when {@code halt-after-step} names a
     * step, the service halts the JVM (exit 137, like SIGKILL) right after that step's SUCCEEDED state is
     * stored and published.
     */
    interface FaultInjection {
        Optional<String> haltAfterStep();
    }
}
