package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.plan.StepSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code post-restore-hooks} step of a quorum restore: the configured commands run on the members' nodes (seed
 * 002: restart the apiserver, controller-manager, scheduler and kubelets), the first failure ends the step.
 */
final class PostRestoreHooks {

    static final String SEED_002_NOTE = "no post-restore hooks configured (cpr.restore.post-restore-hooks.\"%s\"): "
            + "seed 002 says the apiserver, controller-manager, scheduler and kubelets must be restarted after a "
            + "restore, or scheduling breaks; do it by hand";
    private static final int MAX_OUTPUT = 4000;

    private final ClusterSpec cluster;
    private final NodeControl nodes;
    private final EtcdQuorumRestorePlan.Settings settings;

    PostRestoreHooks(ClusterSpec cluster, NodeControl nodes, EtcdQuorumRestorePlan.Settings settings) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.settings = settings;
    }

    private static boolean everyMember(EtcdQuorumRestorePlan.Hook hook) {
        return hook.member() == null || hook.member().isBlank() || "*".equals(hook.member());
    }

    /** How many commands the configured hooks run in all. */
    int runCount() {
        return settings.hooks().stream().mapToInt(h -> everyMember(h) ? cluster.members().size() : 1).sum();
    }

    private List<MemberSpec> members(EtcdQuorumRestorePlan.Hook hook) {
        if (everyMember(hook)) {
            return cluster.members();
        }
        return List.of(cluster.member(hook.member()).orElseThrow(() -> new StepSpec.FatalStepException(
                "post-restore hook names member " + hook.member() + ", which is not in the inventory of "
                        + cluster.id())));
    }

    Optional<String> noneConfigured() {
        return settings.hooks().isEmpty() ? StepSpec.notNeeded(String.format(SEED_002_NOTE, cluster.id()))
                : Optional.empty();
    }

    String run() throws IOException {
        StringBuilder out = new StringBuilder();
        for (EtcdQuorumRestorePlan.Hook hook : settings.hooks()) {
            for (MemberSpec member : members(hook)) {
                NodeControl.CommandOutcome outcome = nodes.exec(member, List.of("sh", "-c", hook.command()),
                        settings.hookTimeout());
                out.append(member.name()).append(" $ ").append(hook.command()).append(" -> exit ")
                        .append(outcome.exitCode()).append('\n').append(OutputTail.tail(outcome.output(), 800));
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                if (!outcome.ok()) {
                    throw new StepSpec.FatalStepException("post-restore hook on " + member.name() + " exited "
                            + outcome.exitCode() + " (etcd itself is restored and verified):\n"
                            + OutputTail.tail(out.toString(), MAX_OUTPUT));
                }
            }
        }
        return OutputTail.tail(out.toString().trim(), MAX_OUTPUT);
    }
}
