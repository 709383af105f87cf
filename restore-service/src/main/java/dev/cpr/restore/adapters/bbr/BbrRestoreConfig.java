package dev.cpr.restore.adapters.bbr;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * {@code cpr.restore.bbr.*}: BBR restores ({@code bbr-deployment-restore}, {@code bbr-director-restore}). Every key
 * can be set as an env var ({@code CPR_RESTORE_BBR_BINARY}, ...).
 */
@ConfigMapping(prefix = "cpr.restore.bbr")
public interface BbrRestoreConfig {

    /** The bbr executable: a path, or a name on PATH. The sandbox's is {@code sandbox/src/main/bbr/bbr}. */
    @WithDefault("bbr")
    String binary();

    /**
     * Where backup-service keeps bbr artifacts (its {@code cpr.backup.bbr.artifact-path}, same default): an artifact
     * whose catalog location is not inside it is refused.
     */
    @WithDefault(".cpr/bbr")
    String artifactRoot();

    /** Limit of {@code bbr ... restore}; past it the process tree is killed and {@code restore-cleanup} runs. */
    @WithDefault("2h")
    Duration restoreTimeout();

    /** Limit of {@code bbr ... restore-cleanup}. */
    @WithDefault("30m")
    Duration cleanupTimeout();

    /** How long verify-restore waits for the restored etcd cluster or director. */
    @WithDefault("2m")
    Duration verifyTimeout();

    /** How often verify-restore looks again. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Limit of verify-artifact (the sha256 of every file in every tar). */
    @WithDefault("30m")
    Duration artifactCheckTimeout();

    /**
     * Where each plan records that its restore began and finished (so a restarted service cleans up an interrupted
     * restore and never repeats a finished one). It must outlive the process (a pod restart is a crash): by default
     * beside the artifacts, on their volume ({@code .cpr-restore-state} cannot clash with a cluster's directory:
     * cluster ids never start with a dot).
     */
    @WithDefault("${cpr.restore.bbr.artifact-root}/.cpr-restore-state")
    String stateDir();

    /**
     * Extra environment for bbr, e.g. {@code BOSH_ALL_PROXY} (bbr through a jump box) or, for the sandbox's
     * launcher, {@code CPR_BBR_CLASSPATH}. The director client secret is added per cluster, never configured here.
     */
    Map<String, String> env();
}
