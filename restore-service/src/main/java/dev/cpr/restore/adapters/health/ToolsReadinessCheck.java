package dev.cpr.restore.adapters.health;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.platform.tools.RequiredTool;
import dev.cpr.platform.tools.ToolCheck;
import dev.cpr.restore.adapters.ansible.KubesprayConfig;
import dev.cpr.restore.adapters.bbr.BbrRestoreConfig;
import dev.cpr.restore.config.RestoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the tools restore-service's plans run are there, so a plan is not proposed that cannot run. Always
 * {@code etcdutl} or {@code etcdctl} ({@code etcd-quorum-restore}); with a kubespray cluster in the inventory,
 * {@code ansible-playbook} and the kubespray checkout with its playbook; with a BOSH cluster, {@code bbr}.
 */
@Readiness
@ApplicationScoped
public class ToolsReadinessCheck implements HealthCheck {

    private final List<RequiredTool> required;
    private final Optional<String> checkoutProblem;
    private final ToolCheck tools;

    @Inject
    public ToolsReadinessCheck(RestoreConfig config, KubesprayConfig kubespray, BbrRestoreConfig bbr,
            Inventory inventory) {
        this(requirements(config.restore().etcdutl(), config.restore().etcdctl(), kubespray.ansiblePlaybook(),
                bbr.binary(), inventory), kubesprayCheckoutProblem(kubespray.dir(), kubespray.playbook(), inventory),
                ToolCheck.fromEnvironment());
    }

    ToolsReadinessCheck(List<RequiredTool> required, Optional<String> checkoutProblem, ToolCheck tools) {
        this.required = List.copyOf(required);
        this.checkoutProblem = checkoutProblem;
        this.tools = tools;
    }

    static List<RequiredTool> requirements(String etcdutl, String etcdctl, String ansiblePlaybook, String bbr,
            Inventory inventory) {
        List<RequiredTool> required = new ArrayList<>();
        required.add(new RequiredTool(PlanNames.ETCD_QUORUM_RESTORE + " (snapshot restore)", List.of(
                new RequiredTool.Choice("cpr.restore.restore.etcdutl", etcdutl),
                new RequiredTool.Choice("cpr.restore.restore.etcdctl", etcdctl))));
        if (has(inventory, ClusterKind.KUBESPRAY)) {
            required.add(RequiredTool.of(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, "cpr.restore.kubespray.ansible-playbook",
                    ansiblePlaybook));
        }
        if (has(inventory, ClusterKind.BOSH)) {
            required.add(RequiredTool.of("bbr restores of BOSH clusters", "cpr.restore.bbr.binary", bbr));
        }
        return required;
    }

    /** With a kubespray cluster: the checkout must be configured and hold the playbook. */
    static Optional<String> kubesprayCheckoutProblem(Optional<String> dir, String playbook, Inventory inventory) {
        if (!has(inventory, ClusterKind.KUBESPRAY)) {
            return Optional.empty();
        }
        if (dir.isEmpty() || dir.get().isBlank()) {
            return Optional.of(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE + " needs the kubespray checkout "
                    + "(cpr.restore.kubespray.dir): not set");
        }
        Path file = Path.of(dir.get()).resolve(playbook);
        return Files.isRegularFile(file) ? Optional.empty()
                : Optional.of(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE + " needs " + file + " (cpr.restore.kubespray.dir, "
                        + "cpr.restore.kubespray.playbook): not found");
    }

    private static boolean has(Inventory inventory, ClusterKind kind) {
        return inventory.clusters().stream().anyMatch(c -> c.kind() == kind);
    }

    @Override
    public HealthCheckResponse call() {
        List<String> missing = new ArrayList<>(tools.missing(required));
        checkoutProblem.ifPresent(missing::add);
        return HealthCheckResponse.named("restore-service tools").status(missing.isEmpty())
                .withData("required", required.size())
                .withData("missing", String.join("; ", missing))
                .build();
    }
}
