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

    /**
     * Per-cluster cron schedules: {@code cpr.backup.schedules."<cluster>"=<quartz-style cron>}; used only for a cluster
     * whose inventory entry has no {@code backup.schedule} (the inventory wins).
     */
    Map<String, String> schedules();

    Retention retention();

    IncidentSnapshot incidentSnapshot();

    /**
     * Per-cluster recovery point objectives: {@code cpr.backup.rpo."<cluster>"=1h}; used only for a cluster whose
     * inventory entry has no {@code backup.rpo} (the inventory wins).
     */
    Map<String, Duration> rpo();

    /** How long after a failed attempt a cluster still in breach of its RPO is tried again. */
    @WithDefault("5m")
    Duration rpoRetryAfter();

    /** How often every cluster's RPO is checked. */
    @WithDefault("1m")
    Duration rpoCheckInterval();

    interface IncidentSnapshot {
        /**
         * Take a safety snapshot when an incident opens with quorum intact (the master switch: a cluster whose
         * inventory says {@code backup.incident-snapshot: false} gets none either way).
         */
        @WithDefault("true")
        boolean enabled();

        /** Incidents detected longer ago than this (a replay after a restart) get none. */
        @WithDefault("10m")
        Duration maxAge();
    }

    interface Store {
        /** {@code local} (files under {@link #path()}) or {@code s3} (an S3-compatible object store, {@link #s3()}). */
        @WithDefault("local")
        String type();

        /** Root directory of the local artifact store. */
        @WithDefault(".cpr/backups")
        String path();

        S3 s3();
    }

    /** {@code cpr.backup.store.s3.*}: used when {@code cpr.backup.store.type=s3}. */
    interface S3 {
        /** e.g. {@code http://127.0.0.1:9000} (MinIO, S3Proxy, Ceph RGW); AWS's own endpoint when unset. */
        Optional<String> endpoint();

        /** Required with {@code type=s3}; must exist. */
        Optional<String> bucket();

        /** Key prefix, e.g. {@code cpr/}; artifacts go under {@code <prefix><cluster>/<file>}. */
        Optional<String> prefix();

        @WithDefault("us-east-1")
        String region();

        /** Static credentials; the SDK's default chain (env, profile, instance role) when unset. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style addressing ({@code endpoint/bucket/key}), which most S3-compatible servers need. */
        @WithDefault("true")
        boolean pathStyle();

        /** Multipart part size: the only buffer an upload holds (S3's minimum is 5 MiB). */
        @WithDefault("5242880")
        int partSize();
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
        /** {@code count}, {@code exponential} or {@code none}; the default for clusters whose inventory sets no retention. */
        @WithDefault("count")
        String policy();

        /** How many verified backups per cluster the {@code count} policy keeps. */
        @WithDefault("7")
        int keep();
    }
}
