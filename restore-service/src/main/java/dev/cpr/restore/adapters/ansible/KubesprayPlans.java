package dev.cpr.restore.adapters.ansible;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.kubespray.EtcdClusterCheck;
import dev.cpr.restore.domain.kubespray.KubesprayRecoverControlPlanePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.StepSpec;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Binds a stored {@code kubespray-recover-control-plane} plan to its steps with the configured kubespray checkout
 * and the real {@code ansible-playbook}. The plan's {@code targetMember} holds the broken members, comma-separated
 * ({@link KubesprayRecoverControlPlanePlan#target(List)}). Playbook output lines are logged with the plan's tag.
 * Unremovable, so {@link KubesprayConfig} is registered (and {@code cpr.restore.kubespray.*} keys are known) even
 * while the step catalog does not use it yet.
 */
@Unremovable
@ApplicationScoped
public class KubesprayPlans {

    private static final Logger LOG = Logger.getLogger(KubesprayPlans.class);

    private final KubesprayConfig config;
    private final EtcdAdmin etcd;

    public KubesprayPlans(KubesprayConfig config, EtcdAdmin etcd) {
        this.config = config;
        this.etcd = etcd;
    }

    /**
     * @param etcdSnapshot a snapshot path on the first etcd node, for {@code -e etcd_snapshot=PATH}
     * @throws IllegalStateException when {@code cpr.restore.kubespray.dir} is not set
     */
    public List<StepSpec> stepsFor(RecoveryPlan plan, ClusterSpec cluster, Optional<String> etcdSnapshot) {
        Path dir = Path.of(config.dir().orElseThrow(() -> new IllegalStateException(
                "cpr.restore.kubespray.dir (the kubespray checkout) is not set: cannot run " + plan.plan())));
        KubesprayRecoverControlPlanePlan.Settings settings = new KubesprayRecoverControlPlanePlan.Settings(dir,
                Path.of(config.inventoryDir().replace("{cluster}", cluster.id())), Path.of(config.workDir()),
                config.playbook(), config.etcdRetries(), config.extraArgs().orElse(List.of()), config.timeout(),
                config.pollInterval(), config.verifyTimeout(), config.outputTailLines());
        String tag = plan.tag();
        return new KubesprayRecoverControlPlanePlan(cluster,
                KubesprayRecoverControlPlanePlan.brokenMembers(plan.targetMember()), etcdSnapshot, plan.id(),
                new AnsiblePlaybookRunner(config.ansiblePlaybook(), config.env()), new EtcdClusterCheck(cluster, etcd),
                settings, Sleeper.REAL,
                line -> LOG.infof("%s ansible: %s", tag, line)).steps();
    }
}
