package dev.cpr.restore.adapters.bbr;

import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.bosh.bbr.BbrRunner;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrRestorePlan;
import dev.cpr.restore.domain.bbr.BoshDirectorView;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.StepSpec;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Binds a stored {@code bbr-deployment-restore} or {@code bbr-director-restore} plan to its steps with the real
 * {@code bbr} ({@link BbrRunner}, {@code cpr.restore.bbr.*}), backup-service's catalog, etcd and the director. The
 * plan's {@code targetMember} holds the artifact's backup id; the artifact is looked up when the plan runs.
 * Unremovable, so {@link BbrRestoreConfig} is registered (and {@code cpr.restore.bbr.*} keys are known) even while
 * the step catalog does not use it yet.
 */
@Unremovable
@ApplicationScoped
public class BbrRestorePlans {

    private static final Logger LOG = Logger.getLogger(BbrRestorePlans.class);

    private final BbrRestoreConfig config;
    private final BbrArtifactCatalog catalog;
    private final EtcdAdmin etcd;
    private final BoshDirectorView director;
    private final Clock clock;

    public BbrRestorePlans(BbrRestoreConfig config, BbrArtifactCatalog catalog, EtcdAdmin etcd,
            BoshDirectorView director) {
        this.config = config;
        this.catalog = catalog;
        this.etcd = etcd;
        this.director = director;
        this.clock = Clock.systemUTC();
    }

    public List<StepSpec> stepsFor(RecoveryPlan plan, ClusterSpec cluster) {
        return plan(plan, cluster).steps();
    }

    /** The plan itself (tests run its steps one by one). */
    public BbrRestorePlan plan(RecoveryPlan plan, ClusterSpec cluster) {
        BbrRestorePlan.Settings settings = new BbrRestorePlan.Settings(Path.of(config.artifactRoot()),
                config.artifactCheckTimeout(), config.restoreTimeout(), config.cleanupTimeout(),
                config.verifyTimeout(), config.pollInterval());
        BbrRestorePlan.Ports ports = new BbrRestorePlan.Ports(catalog, new BbrArtifactVerifier(),
                new BbrRunner(config.binary(), config.env(), clock), new FileBbrRestoreJournal(Path.of(config.stateDir())),
                etcd, director);
        String tag = plan.tag();
        return new BbrRestorePlan(plan.plan(), cluster, plan.id(), plan.targetMember(), ports, settings, Sleeper.REAL,
                line -> LOG.debugf("%s bbr: %s", tag, line));
    }
}
