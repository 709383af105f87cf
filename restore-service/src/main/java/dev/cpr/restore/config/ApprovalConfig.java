package dev.cpr.restore.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code cpr.restore.approval.*}: who restore-service believes about a decision (CPR_RESTORE_APPROVAL_...). */
@ConfigMapping(prefix = "cpr.restore.approval")
public interface ApprovalConfig {

    /**
     * Public keys (base64 X.509 Ed25519, comma-separated) whose signature vouches for a decision on
     * {@code cpr.approvals}: the notifier's. None: every decision on the bus is refused; REST operators still decide.
     */
    Optional<List<String>> trustedKeys();

    /** A signed decision issued longer ago than this is refused as stale. */
    @WithDefault("10m")
    Duration maxAge();

    /** How far ahead of this service's clock a decision may be dated (clocks drift). */
    @WithDefault("1m")
    Duration maxClockSkew();

    /**
     * Plans that need two distinct approvers, {@code <cluster>:<plan>} comma-separated, either side may be {@code *},
     * e.g. {@code prod-etcd:etcd-quorum-restore,*:bbr-director-restore}. None by default.
     */
    Optional<List<String>> twoApprovers();
}
