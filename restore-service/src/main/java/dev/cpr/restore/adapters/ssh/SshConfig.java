package dev.cpr.restore.adapters.ssh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code cpr.restore.ssh.*}: how restore-service reaches members with {@code access: ssh}. Every key can be set
 * as an env var ({@code CPR_RESTORE_SSH_PRIVATE_KEY_PATH}, {@code CPR_RESTORE_SSH_COMMANDS_START}, ...).
 */
@ConfigMapping(prefix = "cpr.restore.ssh")
public interface SshConfig {

    /** The client's private key (OpenSSH or PEM; RSA or ECDSA). Needed only when a member has ssh access. */
    Optional<String> privateKeyPath();

    Optional<String> privateKeyPassphrase();

    /** Host keys are checked strictly against this file: unknown or changed keys are refused. */
    @WithDefault("${user.home}/.ssh/known_hosts")
    String knownHosts();

    @WithDefault("10s")
    Duration connectTimeout();

    @WithDefault("10s")
    Duration authTimeout();

    /** Bound of one command ({@code systemctl stop etcd} may wait for etcd to shut down). */
    @WithDefault("120s")
    Duration commandTimeout();

    /** When the inventory's {@code access.port} is not set. */
    @WithDefault("22")
    int defaultPort();

    /** When the inventory's {@code access.user} is not set. */
    @WithDefault("root")
    String defaultUser();

    /** A data dir is only wiped ({@code rm -rf <data-dir>/member}) when it lies inside one of these. */
    @WithDefault("/var/lib/etcd")
    List<String> allowedDataDirPrefixes();

    /** Where a snapshot is copied to on a node before {@code etcdctl snapshot restore} reads it there. */
    @WithDefault("/var/tmp/cpr")
    String stagingDir();

    /** Bound of one such copy. */
    @WithDefault("10m")
    Duration stageTimeout();

    Commands commands();

    /** Templates, see {@link SshCommands} for the placeholders. */
    interface Commands {
        @WithDefault(SshCommands.DEFAULT_UNIT)
        String unit();

        @WithDefault(SshCommands.DEFAULT_ENV_FILE)
        String envFile();

        /** E.g. {@code sudo -n} for a non-root user: each command runs as {@code <prefix> sh -c '...'}. */
        Optional<String> prefix();

        @WithDefault(SshCommands.DEFAULT_IS_ACTIVE)
        String isActive();

        @WithDefault(SshCommands.DEFAULT_STOP)
        String stop();

        @WithDefault(SshCommands.DEFAULT_START)
        String start();

        @WithDefault(SshCommands.DEFAULT_HAS_DATA)
        String hasData();

        @WithDefault(SshCommands.DEFAULT_WIPE)
        String wipe();

        @WithDefault(SshCommands.DEFAULT_READ_ENV)
        String readEnv();

        @WithDefault(SshCommands.DEFAULT_WRITE_ENV)
        String writeEnv();
    }

    default SshCommands toCommands() {
        Commands c = commands();
        return new SshCommands(c.unit(), c.envFile(), c.prefix().orElse(""), c.isActive(), c.stop(), c.start(),
                c.hasData(), c.wipe(), c.readEnv(), c.writeEnv());
    }
}
