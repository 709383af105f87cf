package dev.cpr.restore.adapters.ssh;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Makes the {@link SshNodeControl} from {@link SshConfig}, on first use (so a service without ssh members needs
 * no key). Typed to {@code SshNodeControl} only: it never competes with the default {@code NodeControl}; the
 * {@link AccessRoutingNodeControl} hands ssh members to it. Unremovable, so {@link SshConfig} is registered (and
 * {@code cpr.restore.ssh.*} keys are known) even while nothing injects the node control yet.
 */
@Unremovable
@ApplicationScoped
public class SshProducers {

    private static final Logger LOG = Logger.getLogger(SshProducers.class);

    @Produces
    @Unremovable
    @Singleton
    @Typed(SshNodeControl.class)
    SshNodeControl sshNodeControl(SshConfig config) {
        SshExecutor executor = new SshExecutor(config.privateKeyPath().map(Path::of).orElse(null),
                config.privateKeyPassphrase(), Path.of(config.knownHosts()),
                new SshExecutor.Timeouts(config.connectTimeout(), config.authTimeout(), config.commandTimeout()));
        LOG.infof("ssh node access: key %s, known hosts %s (strict), wipe allowed under %s",
                config.privateKeyPath().orElse("?"), config.knownHosts(), config.allowedDataDirPrefixes());
        return new SshNodeControl(executor, new SshNodeControl.Settings(config.toCommands(),
                new DataDirGuard(config.allowedDataDirPrefixes()), config.defaultPort(), config.defaultUser(),
                config.stagingDir(), config.stageTimeout()));
    }

    void close(@Disposes SshNodeControl nodes) {
        nodes.close();
    }
}
