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
 * The least destructive step first: one member's process dies (SIGKILL), its data directory intact. cpr must survey
 * it, start it again on its own data ({@code etcd-member-revive}) and never remove or wipe it: no member replace step
 * runs. Times are measured from the injection.
 */
public final class MemberCrashScenario extends ClusterRecoveryScenario {

    public static final String NAME = "member-crash";
    static final int KEYS = 1_000;
    /** The member-replace steps that would destroy the member's data or identity. */
    static final List<String> DESTRUCTIVE_STEPS = List.of("member-remove", "wipe-data-dir");

    private final String victim;

    public MemberCrashScenario() {
        this("etcd-3");
    }

    public MemberCrashScenario(String victim) {
        this.victim = victim;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "kill one member's process, its data intact: cpr starts it again on its own data and removes or wipes "
                + "nothing";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("detected_ms", null).put("recovered_ms", null)
                .put("keys_before", keysBefore).put("keys_after", null).put("member", victim);

        run.say(keysBefore + " keys; killing " + victim + "'s process, its data left as it is");
        run.inject();
        etcd.kill(victim);

        IncidentOpened incident = run.awaitIncident(EventWatcher.incidentOpened(run.clusterId(),
                i -> i.failure() == FailureKind.MEMBER_UNHEALTHY && i.failedMembers().contains(victim)),
                "no incident.opened for " + victim + " within 30 s");

        RecoveryUpdate plan = run.awaitIncidentPlanEnd(incident, Duration.ofSeconds(60));
        List<String> destructiveRun = plan.steps().stream()
                .filter(s -> DESTRUCTIVE_STEPS.contains(s.name()) && s.state() != StepState.SKIPPED)
                .map(StepView::name).toList();
        result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name())
                .put("destructive_steps_run", destructiveRun)
                .put("step_ms", run.stepMillis(plan.planId()));
        run.requireSucceeded(plan);
        boolean healthy = Pause.until(() -> etcd.isHealthy(victim), Duration.ofSeconds(15));
        long recoveredMs = run.msSinceInjection();
        long keysAfter = etcd.countKeys();
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("member_healthy", healthy);
        run.events().await(EventWatcher.incidentResolved(incident.incidentId()), Duration.ofSeconds(15))
                .ifPresent(s -> result.put("resolved_ms", run.msSinceInjection(s.receivedAt())));
        boolean revived = PlanNames.ETCD_MEMBER_REVIVE.equals(plan.plan()) && destructiveRun.isEmpty();
        run.say("plan " + plan.plan() + " " + plan.state() + ", " + victim + (healthy ? " healthy" : " NOT healthy")
                + (destructiveRun.isEmpty() ? ", nothing removed or wiped" : ", RAN " + destructiveRun)
                + ", keys " + keysBefore + " -> " + keysAfter);
        return result.ok(healthy && revived && keysAfter == keysBefore);
    }
}
