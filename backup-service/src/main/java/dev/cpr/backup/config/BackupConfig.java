package dev.cpr.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything backup-service reads from {@code cpr.backup.*} (each key overridable by env var, e.g. CPR_BACKUP_STORE_PATH). */
@ConfigMapping(prefix = "cpr.backup")
public interface BackupConfig {

    Store store();

    /** {@code none} or {@code gzip}: how new snapshots are stored unless the trigger says otherwise. */
    @WithDefault("none")
    String compression();

    Snapshot snapshot();

    Drill drill();

    /** Per-cluster cron schedules: {@code cpr.backup.schedules."<cluster>"=<quartz-style cron>}. */
    Map<String, String> schedules();

    Retention retention();

    IncidentSnapshot incidentSnapshot();

    /** Per-cluster recovery point objectives: {@code cpr.backup.rpo."<cluster>"=1h}. */
    Map<String, Duration> rpo();

    /** How often the RPO is checked, and how long after an attempt a breached cluster is tried again. */
    @WithDefault("5m")
    Duration rpoRetryAfter();

    interface IncidentSnapshot {
        /** Take a safety snapshot when an incident opens with quorum intact. */
        @WithDefault("true")
        boolean enabled();

        /** Incidents detected longer ago than this (a replay after a restart) get none. */
        @WithDefault("10m")
        Duration maxAge();
    }

    interface Store {
        /** Root directory of the local artifact store. */
        @WithDefault(".cpr/backups")
        String path();
    }

    interface Snapshot {
        /** How long a member may take to answer a probe before the next one is tried. */
        @WithDefault("3s")
        Duration probeTimeout();

        /** The whole stream must finish within this. */
        @WithDefault("15m")
        Duration streamTimeout();
    }

    interface Drill {
        /** Drill every new snapshot right after it completed. */
        @WithDefault("true")
        boolean onEverySnapshot();

        @WithDefault("etcd")
        String etcd();

        @WithDefault("etcdctl")
        String etcdctl();

        /** Used instead of etcdctl for {@code snapshot restore} when found (etcd 3.5+). */
        @WithDefault("etcdutl")
        String etcdutl();

        /** Where scratch data dirs go; the system temp dir if unset. */
        Optional<String> scratchDir();

        @WithDefault("30s")
        Duration startTimeout();

        @WithDefault("120s")
        Duration restoreTimeout();
    }

    interface Retention {
        /** {@code count}, {@code exponential} or {@code none}. */
        @WithDefault("count")
        String policy();

        /** How many verified backups per cluster the {@code count} policy keeps. */
        @WithDefault("7")
        int keep();
    }
}
