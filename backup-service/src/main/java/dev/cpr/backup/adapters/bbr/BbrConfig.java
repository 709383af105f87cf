package dev.cpr.backup.adapters.bbr;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
}
