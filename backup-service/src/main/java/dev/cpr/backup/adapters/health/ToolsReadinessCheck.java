package dev.cpr.backup.adapters.health;

import dev.cpr.backup.config.BbrConfig;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.platform.tools.RequiredTool;
import dev.cpr.platform.tools.ToolCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the tools backup-service runs are there. Without {@code etcd} and {@code etcdutl}/{@code etcdctl} every
 * restore drill is inconclusive, so no backup is ever verified; without {@code bbr} no BOSH cluster is backed up. The
 * service says not-ready with the reason instead of taking backups it cannot prove.
 */
@Readiness
@ApplicationScoped
public class ToolsReadinessCheck implements HealthCheck {

    private final List<RequiredTool> required;
    private final ToolCheck tools;

    @Inject
    public ToolsReadinessCheck(BackupConfig config, BbrConfig bbr, Inventory inventory) {
        this(requirements(config.drill().etcd(), config.drill().etcdutl(), config.drill().etcdctl(), bbr.binary(),
                inventory), ToolCheck.fromEnvironment());
    }

    ToolsReadinessCheck(List<RequiredTool> required, ToolCheck tools) {
        this.required = List.copyOf(required);
        this.tools = tools;
    }

    static List<RequiredTool> requirements(String etcd, String etcdutl, String etcdctl, String bbr, Inventory inventory) {
        List<RequiredTool> required = new ArrayList<>();
        required.add(RequiredTool.of("restore drills (a scratch etcd)", "cpr.backup.drill.etcd", etcd));
        required.add(new RequiredTool("restore drills (snapshot restore)", List.of(
                new RequiredTool.Choice("cpr.backup.drill.etcdutl", etcdutl),
                new RequiredTool.Choice("cpr.backup.drill.etcdctl", etcdctl))));
        if (inventory.clusters().stream().anyMatch(c -> c.kind() == ClusterKind.BOSH)) {
            required.add(RequiredTool.of("bbr backups of BOSH clusters", "cpr.backup.bbr.binary", bbr));
        }
        return required;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> missing = tools.missing(required);
        return HealthCheckResponse.named("backup-service tools").status(missing.isEmpty())
                .withData("required", required.size())
                .withData("missing", String.join("; ", missing))
                .build();
    }
}
