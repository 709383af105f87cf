package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;
import java.util.List;

/**
 * A hung member: its process stopped with SIGSTOP, its sockets open, its data intact. cpr must notice it (its member
 * stream never drops, but stops answering progress requests), give it the revive wait in case it is only slow,
 * and then replace it, with no key lost. Times are measured from the injection.
 */
public final class MemberHangScenario extends ClusterRecoveryScenario {

    public static final String NAME = "member-hang";
    static final int KEYS = 1_000;

    private final String victim;

    public MemberHangScenario() {
        this("etcd-2");
    }

    public MemberHangScenario(String victim) {
        this.victim = victim;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "hang one member (SIGSTOP, data intact): cpr gives it the revive wait, then replaces it";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("detected_ms", null).put("recovered_ms", null)
                .put("keys_before", keysBefore).put("keys_after", null).put("member", victim);

        run.say(keysBefore + " keys; hanging " + victim + " (SIGSTOP)");
        run.inject();
        etcd.hang(victim);
        try {
            IncidentOpened incident = run.awaitIncident(EventWatcher.incidentOpened(run.clusterId(),
                    i -> i.failure() == FailureKind.MEMBER_UNHEALTHY && i.failedMembers().contains(victim)),
                    "no incident.opened for " + victim + " within 30 s");

            RecoveryUpdate plan = run.awaitIncidentPlanEnd(incident, Duration.ofSeconds(120));
            boolean replaced = plan.steps().stream().anyMatch(s -> s.name().equals("member-remove")
                    && s.state() == StepState.SUCCEEDED);
            result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name())
                    .put("replaced", replaced)
                    .put("wait_member_back", plan.steps().stream().filter(s -> s.name().equals("wait-member-back"))
                            .map(StepView::output).findFirst().orElse(null))
                    .put("step_ms", run.stepMillis(plan.planId()));
            run.requireSucceeded(plan);
            boolean healthy = Pause.until(() -> etcd.isHealthy(victim), Duration.ofSeconds(15));
            long recoveredMs = run.msSinceInjection();
            long keysAfter = etcd.countKeys();
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("member_healthy", healthy);
            run.say("plan " + plan.plan() + " " + plan.state() + (replaced ? ", replaced after the revive wait" : "")
                    + ", " + victim + (healthy ? " healthy" : " NOT healthy") + ", keys " + keysBefore + " -> "
                    + keysAfter);
            return result.ok(healthy && replaced && PlanNames.ETCD_MEMBER_REVIVE.equals(plan.plan())
                    && keysAfter == keysBefore);
        } finally {
            // a member still stopped (the plan did not replace it) would hold the next scenario's cluster
            etcd.resume(victim);
        }
    }
}
