package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.util.List;

/**
 * The frame of the scenarios on the world's PKS cluster ({@code pks-1}: three real etcd masters under the BOSH
 * director simulator). As {@link ClusterRecoveryScenario} (events watched, a healthy cluster with no open incident
 * first), on the PKS cluster's etcd, with the director as an operator would see it ({@link DirectorView}) and the
 * result's measured fields present from the start, null until measured, so a run that stops early still prints them.
 */
abstract class PksRecoveryScenario extends ClusterRecoveryScenario {

    @Override
    protected final EtcdCluster cluster(World world) {
        return world.pks().etcd();
    }

    @Override
    protected final String clusterId(World world) {
        return world.pks().clusterId();
    }

    @Override
    protected final ScenarioResult play(ClusterRun run) throws IOException, InterruptedException {
        measured().forEach(field -> run.result().put(field, null));
        PksCluster pks = run.world().pks();
        return play(run, pks, new DirectorView(pks.client(), PksCluster.DEPLOYMENT));
    }

    /** The result's fields that are measured during the run, in the order the JSON line prints them. */
    protected abstract List<String> measured();

    /** Writes, injects the fault, judges; returns {@link ClusterRun#result()} marked ok or not. */
    protected abstract ScenarioResult play(ClusterRun run, PksCluster pks, DirectorView director)
            throws IOException, InterruptedException;

    /** Writes {@code count} keys under the scenario's own prefix (below {@code under}); returns the key count after. */
    protected final long writeKeys(ClusterRun run, String under, int count) {
        run.etcd().putKeys("/demo/" + name() + "/" + under, count);
        return run.etcd().countKeys();
    }

    /** {@code scan, resolve, await-vm:SKIPPED, ...}: which steps ran (no suffix) and which did not. */
    static String steps(RecoveryUpdate plan) {
        return String.join(", ", plan.steps().stream()
                .map(s -> s.name() + (s.state() == StepState.SUCCEEDED ? "" : ":" + s.state())).toList());
    }
}
