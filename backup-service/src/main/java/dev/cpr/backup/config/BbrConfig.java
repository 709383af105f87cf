package dev.cpr.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code cpr.backup.bbr.*}: BBR backups of {@code kind: bosh} clusters (env e.g. {@code CPR_BACKUP_BBR_BINARY}). */
@ConfigMapping(prefix = "cpr.backup.bbr")
public interface BbrConfig {

    /** The bbr executable: a path, or a name on PATH. The sandbox's is {@code sandbox/src/main/bbr/bbr}. */
    @WithDefault("bbr")
    String binary();

    /** Where artifacts go: {@code <artifact-path>/<cluster>/<deployment>_<YYYYMMDDTHHMMSSZ>/}. */
    @WithDefault(".cpr/bbr")
    String artifactPath();

    /** Limit of {@code pre-backup-check}. */
    @WithDefault("10m")
    Duration checkTimeout();

    /** Limit of {@code backup}; past it the process tree is killed and {@code backup-cleanup} runs. */
    @WithDefault("4h")
    Duration backupTimeout();

    /** Limit of {@code backup-cleanup}. */
    @WithDefault("30m")
    Duration cleanupTimeout();

    /**
     * Cron (Quartz form, seconds first) of {@code bbr director ... backup} for every {@code kind: bosh} cluster with a
     * {@code bosh.director}; none by default. (A bosh cluster's {@code backup.schedule} takes deployment backups.)
     */
    Optional<String> directorSchedule();

    /**
     * Environment added to every bbr run, {@code cpr.backup.bbr.env.<NAME>=<value>} (the sandbox launcher reads
     * {@code CPR_BBR_CLASSPATH} and {@code JAVA}); secrets do not belong here: the BOSH client secret is passed per
     * run from the inventory.
     */
    Map<String, String> env();
}
