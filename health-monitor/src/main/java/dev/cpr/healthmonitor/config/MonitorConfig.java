package dev.cpr.healthmonitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** {@code cpr.monitor.*}: how health-monitor polls. Every key can be set by env var, e.g. CPR_MONITOR_POLL_INTERVAL. */
@ConfigMapping(prefix = "cpr.monitor")
public interface MonitorConfig {

    /** Time between polls (the scheduler reads the same key). */
    @WithDefault("2s")
    Duration pollInterval();

    /** Consecutive polls that must show a failure before it opens, and not show it before it resolves. */
    @WithDefault("2")
    int debouncePolls();

    /**
     * How long a quorum loss in which every member only failed to answer in time (none refused) goes unjudged: the
     * monitor's own stall or isolation looks the same, and a lost quorum leads to the most destructive plans. Killed
     * members refuse at once and are judged without it.
     */
    @WithDefault("15s")
    Duration silentQuorumGrace();

    /** Limit of every single request to a member (health, status, member list, alarms). */
    @WithDefault("1s")
    Duration requestTimeout();

    /** A long-lived connection per member whose drop is the first sign of a crash ({@code cpr.monitor.streams.*}). */
    Streams streams();

    interface Streams {

        /**
         * true (the default): a crashed member is noticed when its connection drops and a hung one when it stops
         * answering progress requests, each confirmed by one poll of its cluster instead of by {@code debounce-polls}
         * polls. false: the polls alone (2 to 4 s at the default interval).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long after a drop the confirming poll runs: members that fail together (a quorum loss) must be seen
         * together. A first member confirmed alone is safe all the same: its plan stands down before its first
         * destructive step if the quorum went after it (restore-service).
         */
        @WithDefault("500ms")
        Duration settle();

        /** How often a dropped member's connection is tried again (quietly: one crash is reported once). */
        @WithDefault("1s")
        Duration reconnectInterval();

        /**
         * How often each open stream asks its member for a watch progress report (etcd 3.4+): an answer a stopped or
         * hung process cannot give, though its socket stays open. One tiny message each way per interval.
         */
        @WithDefault("200ms")
        Duration progressInterval();

        /**
         * A member that has answered nothing for this long is reported as unanswered and its cluster polled at once
         * (the silence already waited; the poll's own request timeout bounds the rest). A late answer on a loaded
         * machine costs one poll, never an incident: the poll must see the member down too.
         */
        @WithDefault("500ms")
        Duration progressTimeout();
    }

    /** Plans of cpr's own that stop every member of their cluster ({@code cpr.monitor.planned-outage.*}). */
    PlannedOutage plannedOutage();

    interface PlannedOutage {

        /**
         * true: while restore-service runs a plan that stops every member of a cluster (quorum and point-in-time
         * restores, the survivor rebuild), that cluster's member and quorum incidents are not judged; the plan checks
         * the cluster itself, and the polls judge it again once the plan ends.
         */
        @WithDefault("true")
        boolean enabled();

        /** How long after a plan's last update the hold lasts (a restore-service that died mid-plan says nothing more). */
        @WithDefault("10m")
        Duration hold();
    }

    /** How replicas share the clusters through leases in PostgreSQL ({@code cpr.monitor.lease.*}). */
    Lease lease();

    interface Lease {

        /**
         * false: this replica watches every cluster and takes no lease (one replica only). true: it watches only the
         * clusters it holds a lease on, taking at most its fair share (clusters / live replicas, rounded up).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a lease (and a replica's heartbeat) lasts unless renewed: a replica killed with kill -9 has its
         * clusters taken by another this long after its last renewal, plus one renewal interval.
         */
        @WithDefault("6s")
        Duration duration();

        /** How often a replica renews its leases and heartbeat, takes free clusters and gives up a surplus. */
        @WithDefault("2s")
        Duration renewInterval();
    }

    /** The database space against etcd's {@code --quota-backend-bytes} ({@code cpr.monitor.space.*}). */
    Space space();

    /** The members' TLS certificates ({@code cpr.monitor.certificate.*}). */
    Certificate certificate();

    interface Certificate {

        /**
         * A member certificate that ends within this time opens CERTIFICATE_EXPIRING (a warning; read on the
         * hash-check interval, by a TLS handshake with each member of a cluster that has a {@code tls:} block).
         */
        @WithDefault("30d")
        Duration warnWithin();
    }

    /** The slower check of the members' KV hashes and quotas ({@code cpr.monitor.hash-check.*}). */
    HashCheck hashCheck();

    interface Space {

        /** A member's database over this share (%) of the quota opens SPACE_LOW, before NOSPACE bites. */
        @WithDefault("80")
        int warnPercent();

        /**
         * The quota per cluster id, in bytes, e.g. {@code cpr.monitor.space.quota-bytes."pks-etcd"=8589934592}; when a
         * cluster is not named here the quota is read from a member's {@code etcd_server_quota_backend_bytes} metric
         * (on the hash-check interval), else etcd's default applies.
         */
        Map<String, Long> quotaBytes();

        /** etcd's own default quota (2 GiB), used until a member told its own. */
        @WithDefault("2147483648")
        long defaultQuotaBytes();
    }

    interface HashCheck {

        /** How often every member's {@code HashKV} at one revision is compared (and the quota metric read). */
        @WithDefault("30s")
        Duration interval();

        /** Limit of each gRPC call of the check (status, HashKV). */
        @WithDefault("3s")
        Duration callTimeout();
    }

    /** How {@code kind: bosh} clusters' directors are polled ({@code cpr.monitor.bosh.*}). */
    Bosh bosh();

    interface Bosh {

        /**
         * Limit of one whole director poll ({@code /info}, then {@code instances?format=full} through its task):
         * past it the poll counts as director unreachable. The etcd poll never waits for it.
         */
        @WithDefault("20s")
        Duration pollTimeout();

        /** Limit of opening a connection to the director or its UAA. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** Limit of each single request to the director (a hanging director fails the call after this). */
        @WithDefault("10s")
        Duration requestTimeout();

        /** How often the {@code retrieve vm-stats} task is polled (bosh-cli: 500 ms). */
        @WithDefault("500ms")
        Duration taskPollInterval();

        /**
         * The BOSH resurrector's meltdown guard: at least {@code min-instances} instances AND at least
         * {@code min-percent} % of the deployment down at once open one BOSH_MELTDOWN ("alert, do not act")
         * instead of per-instance incidents. BOSH's defaults 5 and 20 %: a 3-master PKS deployment (4-5
         * instances) then never reaches meltdown; lower min-instances for small deployments.
         */
        Meltdown meltdown();
    }

    interface Meltdown {
        @WithDefault("5")
        int minInstances();

        @WithDefault("20")
        int minPercent();
    }
}
