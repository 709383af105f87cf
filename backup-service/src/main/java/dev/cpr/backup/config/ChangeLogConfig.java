package dev.cpr.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code cpr.changelog.*}: the revision-exact change log kept beside the full snapshots (issue #14). */
@ConfigMapping(prefix = "cpr.changelog")
public interface ChangeLogConfig {

    /** Off by default while the log is new: nothing reads it for a restore yet. */
    @WithDefault("false")
    boolean enabled();

    /**
     * A segment closes this long after its first change... The change that opens a segment waits this whole age before
     * it is durable, so the age is the floor of the lag's p99: half a second keeps p99 under issue #14's 1 s (a 1 s age
     * measured 999-1,093 ms on a quiet machine, 500 ms 552 ms), at two stored segments a second per busy cluster.
     */
    @WithDefault("500ms")
    Duration segmentMaxAge();

    /** ...or at this many changes, whichever comes first. */
    @WithDefault("1000")
    int segmentMaxChanges();

    /** How often a cluster without a running recorder (none yet, or one that stopped) is looked at again. */
    @WithDefault("5s")
    Duration restartInterval();

    /**
     * How often the chain after each cluster's newest verified snapshot is read back whole and checked (with
     * {@code enabled}); 0 turns the drills off.
     */
    @WithDefault("10m")
    Duration drillInterval();

    /**
     * Whether a drill also replays the chain into a scratch etcd restored from the snapshot and compares revision and
     * keyspace hash with the source (a scratch etcd per cluster and pass); off: read back only.
     */
    @WithDefault("true")
    boolean drillReplay();

    /**
     * How many older chains (a verified snapshot's segments up to the next verified snapshot) a drill replays at most
     * besides the newest one, each proven against the next snapshot's keyspace hash; 0: none. Bounds a drill's time:
     * each is two scratch etcds. A chain proven once is not replayed again by this process.
     */
    @WithDefault("1")
    int drillOlderChainsPerRun();
}
