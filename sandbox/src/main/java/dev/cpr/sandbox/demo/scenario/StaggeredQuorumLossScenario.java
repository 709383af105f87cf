package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quorum lost in two steps: etcd-2 killed, then etcd-3 {@link #GAP} later, both with their data intact. On a loaded
 * machine correlated losses come this far apart (CI10's quorum-revive saw 1.7 s), more than the member streams' settle:
 * the first member is confirmed alone and its one-member plan starts while the quorum goes. Whatever plans cpr then
 * runs, the least destructive recovery first must hold: no member removed or wiped, no snapshot restore, every key back
 * and every member healthy. Which way cpr goes depends on timing: with the second kill before the first member's
 * incident opened, one {@code etcd-quorum-revive}; after it, each member's own incident and revive, in turn, and then
 * no plan may end FAILED because another member was down.
 */
public final class StaggeredQuorumLossScenario extends ClusterRecoveryScenario {

    public static final String NAME = "quorum-loss-staggered";
    static final Duration GAP = Duration.ofMillis(1_700);
    static final int KEYS = 2_000;
    private static final Set<String> HARMLESS_PLANS = Set.of(PlanNames.ETCD_MEMBER_REVIVE,
            PlanNames.ETCD_QUORUM_REVIVE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "kill etcd-2, then etcd-3 1.7 s later, their data intact: cpr brings both back on their own data, "
                + "removing, wiping and restoring nothing";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("recovered_ms", null).put("keys_before", keysBefore).put("keys_after", null);

        run.say(keysBefore + " keys; killing etcd-2, then etcd-3 " + GAP.toMillis() + " ms later (data intact)");
        Instant injected = run.inject();
        etcd.kill("etcd-2");
        Pause.millis(GAP.toMillis());
        etcd.kill("etcd-3");

        boolean healthy = Pause.until(() -> List.of("etcd-1", "etcd-2", "etcd-3").stream().allMatch(etcd::isHealthy),
                Duration.ofSeconds(120));
        long recoveredMs = run.msSinceInjection();
        // the plans still running when the members are back end soon after; their last word is what they did
        Pause.until(() -> plans(run, injected).values().stream().allMatch(u -> u.state().isFinal()),
                Duration.ofSeconds(60));
        Map<String, RecoveryUpdate> plans = plans(run, injected);
        List<String> destructiveRun = plans.values().stream().flatMap(u -> u.steps().stream())
                .filter(s -> MemberCrashScenario.DESTRUCTIVE_STEPS.contains(s.name())
                        && s.state() != StepState.SKIPPED && s.state() != StepState.PENDING)
                .map(s -> s.name() + " " + s.state()).toList();
        List<String> planLines = plans.values().stream()
                .map(u -> u.plan() + " " + u.state() + " (" + u.message() + ")").toList();
        long keysAfter = healthy ? etcd.countKeys() : -1;
        boolean restoreProposed = run.restoreProposed();
        boolean harmlessPlans = plans.values().stream().allMatch(u -> HARMLESS_PLANS.contains(u.plan()));
        // a plan whose member came back must not end FAILED (waiting on a member that is another incident's)
        List<String> failedPlans = plans.values().stream().filter(u -> u.state() == PlanState.FAILED)
                .map(u -> u.plan() + " (" + u.message() + ")").toList();
        long memberPlans = plans.values().stream().filter(u -> u.plan().equals(PlanNames.ETCD_MEMBER_REVIVE)).count();
        result.put("recovered_ms", healthy ? recoveredMs : null).put("members_healthy", healthy)
                .put("plans", planLines).put("failed_plans", failedPlans)
                .put("path", memberPlans > 1 ? "each member's own incident, in turn" : "one quorum revive")
                .put("destructive_steps_run", destructiveRun)
                .put("restore_proposed", restoreProposed).put("keys_after", keysAfter);
        plans.values().stream().filter(u -> u.plan().equals(PlanNames.ETCD_QUORUM_REVIVE)).findFirst()
                .ifPresent(u -> result.put("quorum_revive_step_ms", run.stepMillis(u.planId())));
        run.say("plans " + planLines + "; members " + (healthy ? "healthy" : "NOT healthy") + " after "
                + recoveredMs + " ms; " + (destructiveRun.isEmpty() ? "nothing removed or wiped" : "RAN "
                + destructiveRun) + ", keys " + keysBefore + " -> " + keysAfter);
        return result.ok(healthy && destructiveRun.isEmpty() && !restoreProposed && harmlessPlans
                && failedPlans.isEmpty() && keysAfter == keysBefore);
    }

    /** Every plan of this cluster made since the fault, by id, at its latest update. */
    private static Map<String, RecoveryUpdate> plans(ClusterRun run, Instant injected) {
        Map<String, RecoveryUpdate> latest = new LinkedHashMap<>();
        run.events().seen().stream().filter(s -> ClusterRun.isUpdate(s) && !s.receivedAt().isBefore(injected))
                .map(s -> s.data(RecoveryUpdate.class))
                .filter(u -> run.clusterId().equals(u.clusterId()))
                .forEach(u -> latest.put(u.planId(), u));
        return latest;
    }

    @Override
    protected void afterwards(EtcdCluster etcd, World.Progress progress) {
        // a member cpr left down would hold the next scenario's cluster
        for (String member : List.of("etcd-2", "etcd-3")) {
            if (!etcd.isHealthy(member)) {
                progress.say(NAME + ": " + member + " still down afterwards; starting it again for the next scenario");
                etcd.restart(member);
            }
        }
    }
}
