package dev.cpr.restore.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * How long a member replace waits for backup-service's snapshot of the same incident before it streams its
     * own safety snapshot instead.
     */
    @WithDefault("10s")
    Duration incidentSnapshotWait();

    /**
     * How long a failed member whose data is intact may take to come back (started again, or restarting by itself)
     * before {@code etcd-member-revive} replaces it.
     */
    @WithDefault("20s")
    Duration memberReviveWait();

    /** backup-service's base URL, e.g. {@code http://127.0.0.1:8082} (CPR_RESTORE_BACKUP_SERVICE_URL). */
    Optional<String> backupServiceUrl();

    /** Bearer token restore-service presents to backup-service (a viewer token is enough) (CPR_RESTORE_SERVICE_TOKEN). */
    Optional<String> serviceToken();

    /** Bound of one catalog call to backup-service. */
    @WithDefault("5s")
    Duration catalogTimeout();

    /** How long a plan may wait in AWAITING_APPROVAL before it is EXPIRED. */
    @WithDefault("30m")
    Duration approvalTimeout();

    /** How often waiting plans are checked for expiry and RUNNING plans for an expired lease. */
    @WithDefault("5s")
    Duration housekeepingInterval();

    /**
     * A RUNNING plan is run by the replica holding its lease; the lease is renewed every third of this while
     * it runs, and another replica takes the plan over once it has expired (a dead replica).
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /** This replica's name in {@code runner_id}; default {@code <host>:<http port>}. */
    Optional<String> runnerId();

    /** Per-step timeout overrides by step name, e.g. {@code cpr.restore.step-timeouts.fetch-snapshot=20m}. */
    Map<String, Duration> stepTimeouts();

    /**
     * Commands run after a quorum restore, per cluster id: {@code cpr.restore.post-restore-hooks."<cluster>"[0].member=etcd-1}
     * and {@code ...[0].command=systemctl restart kubelet} ({@code member=*}: on every member's node).
     */
    Map<String, List<Hook>> postRestoreHooks();

    Meltdown meltdown();

    Restore restore();

    Etcd etcd();

    Rehearsal rehearsal();

    interface Hook {
        @WithDefault("*")
        String member();

        String command();
    }

    /** The meltdown guard for automatic member replaces (BOSH resurrector defaults). */
    interface Meltdown {
        @WithDefault("5")
        int minDown();

        @WithDefault("20")
        int minPercent();

        /** The same rule across clusters: a zone outage takes one member from many clusters at once. */
        Fleet fleet();

        interface Fleet {
            @WithDefault("true")
            boolean enabled();

            /** This many clusters being recovered at once (this one included)... */
            @WithDefault("3")
            int minClusters();

            /** ...and this share of the inventory's clusters. */
            @WithDefault("20")
            int minPercent();

            /** A plan counts while it is active and at most this old: "at once". */
            @WithDefault("2m")
            Duration window();
        }
    }

    /** {@code etcd-quorum-restore}. */
    interface Restore {
        @WithDefault("10m")
        Duration fetchTimeout();

        @WithDefault("120s")
        Duration restoreTimeout();

        @WithDefault("60s")
        Duration hookTimeout();

        /** etcdctl (3.4 restores with it); looked for next to each member's etcd binary first. */
        @WithDefault("etcdctl")
        String etcdctl();

        /** etcdutl: restores on etcd 3.5+ (etcdctl on 3.4); looked for next to each member's etcd binary first. */
        @WithDefault("etcdutl")
        String etcdutl();

        /**
         * On etcd 3.5.8+: {@code etcdutl snapshot restore --bump-revision} (with {@code --mark-compacted}), so
         * Kubernetes watch caches see the restore as newer than anything they hold; 0 turns the bump off.
         */
        @WithDefault("1000000000")
        long bumpRevision();
    }

    /**
     * The scheduled quorum-restore rehearsal: the plan a quorum loss would run, against a scratch cluster of local etcd
     * members on this host, timed ({@code POST /api/v1/clusters/{id}/rehearsals} runs one whatever {@code enabled} says).
     */
    interface Rehearsal {
        /**
         * On by default: an RTO nobody measured is a guess. A rehearsal starts as many etcd processes as the cluster
         * has members on restore-service's own host and downloads a whole snapshot, so it is refused, and recorded as
         * FAILED with what it would have needed, when that would pass {@link #scratchBudget()}, the disk free under
         * {@link #scratchDir()} or the memory available to this process's container.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The most disk a rehearsal's scratch cluster may take (the downloaded snapshot, each member's data and
         * write-ahead log), estimated from the snapshot before it starts. Set it below the scratch directory's own
         * limit where the file system does not show one (a Kubernetes {@code emptyDir}'s {@code sizeLimit}).
         */
        @WithDefault("2G")
        MemorySize scratchBudget();

        /** How often each cluster is rehearsed (counted from its newest recorded rehearsal, by any replica). */
        @WithDefault("24h")
        Duration interval();

        /** The clusters rehearsed on schedule; default every cluster of {@code kind: etcd}. */
        Optional<List<String>> clusters();

        /** The scratch clusters' members, data and downloads live under {@code <scratch-dir>/<scratch id>}. */
        @WithDefault("${java.io.tmpdir}/cpr/rehearsals")
        String scratchDir();

        /**
         * The etcd the scratch members run; default each real member's own etcd (or launcher) when it is local, so
         * the release matches, else {@code etcd} on the PATH.
         */
        Optional<String> etcdBinary();
    }

    FaultInjection faultInjection();

    Bosh bosh();

    /** BOSH node access and the {@code bosh-cloud-check} plan (clusters of {@code kind: bosh}). */
    interface Bosh {

        /** Where a BOSH VM's files (the member's persistent disk) are reached. */
        enum VmShell {
            /** The VM's persistent disk is a directory on this host: the member's data dir (the sandbox). */
            LOCAL,
            /** Over ssh to the member's {@code access.host} (a gateway or jumpbox set-up), as ssh members are. */
            SSH
        }

        /**
         * {@code local} or {@code ssh} (CPR_RESTORE_BOSH_VM_SHELL). Default ssh: a production VM's disk is never on
         * restore-service's own host; the sandbox sets local.
         */
        @WithDefault("ssh")
        VmShell vmShell();

        /** How often a director task is polled (bosh-cli: 500 ms). */
        @WithDefault("500ms")
        Duration taskPollInterval();

        /** How long one director task may run (a recreate waits for the VM and its processes). */
        @WithDefault("30m")
        Duration taskTimeout();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Bound of one director request (a hanging director fails the call naming it). */
        @WithDefault("30s")
        Duration requestTimeout();

        /** How long {@code await-vm} waits for the VM to be there with a responsive agent. */
        @WithDefault("10m")
        Duration vmTimeout();
    }

    /** The {@code etcd-space-recover} plan ({@code cpr.restore.space.*}). */
    Space space();

    interface Space {
        /** Revisions of history the compaction keeps (watchers can resume within them); 0: compact to the current one. */
        @WithDefault("0")
        long keepRevisions();

        /** The pause before each member's defragmentation after the first (OpenShift's etcd operator waits a minute). */
        @WithDefault("5s")
        Duration defragPause();

        /** Limit of one member's defragmentation. */
        @WithDefault("5m")
        Duration defragTimeout();

        /**
         * The share (%) of the quota a defragmented database may fill; above it the live data itself is too large and
         * the plan stops (raise --quota-backend-bytes).
         */
        @WithDefault("80")
        int maxLivePercent();

        /**
         * The quota per cluster id in bytes ({@code cpr.restore.space.quota-bytes."<cluster>"}); a cluster not named
         * here is asked (a member's {@code etcd_server_quota_backend_bytes}), else etcd's 2 GiB default applies.
         */
        Map<String, Long> quotaBytes();
    }

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
