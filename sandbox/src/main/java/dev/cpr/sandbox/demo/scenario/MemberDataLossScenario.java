package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;

/**
 * Seed 001: one master's etcd loses its WAL ({@code member/wal} deleted) and the process dies. cpr
 * must notice, replace the member while quorum holds, and lose no key. Times are measured from the
 * injection.
 */
public final class MemberDataLossScenario extends ClusterRecoveryScenario {

    public static final String NAME = "member-data-loss";
    static final int KEYS = 10_000;

    private final String victim;

    public MemberDataLossScenario() {
        this("etcd-2");
    }

    public MemberDataLossScenario(String victim) {
        this.victim = victim;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 001: write 10,000 keys, kill one member and delete its member/wal, wait for cpr to replace it";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("detected_ms", null).put("recovered_ms", null)
                .put("keys_before", keysBefore).put("keys_after", null).put("member", victim);

        run.say(keysBefore + " keys; killing " + victim + " and deleting its member/wal");
        run.inject();
        etcd.kill(victim);
        etcd.deleteWal(victim);

        IncidentOpened incident = run.awaitIncident(EventWatcher.incidentOpened(run.clusterId(),
                i -> i.failure() == FailureKind.MEMBER_UNHEALTHY && i.failedMembers().contains(victim)),
                "no incident.opened for " + victim + " within 30 s");

        RecoveryUpdate plan = run.awaitIncidentPlanEnd(incident, Duration.ofSeconds(60));
        result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name())
                .put("incident_first_seen_ms", run.msSinceInjection(incident.firstSeenAt()))
                .put("step_ms", run.stepMillis(plan.planId()));
        run.requireSucceeded(plan);
        boolean healthy = Pause.until(() -> etcd.isHealthy(victim), Duration.ofSeconds(15));
        long recoveredMs = run.msSinceInjection();
        long keysAfter = etcd.countKeys();
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("member_healthy", healthy);
        run.events().await(EventWatcher.incidentResolved(incident.incidentId()), Duration.ofSeconds(15))
                .ifPresent(s -> result.put("resolved_ms", run.msSinceInjection(s.receivedAt())));
        result.put("slack_messages", run.world().slack().messages().size());
        run.say("plan " + plan.planId() + " " + plan.state() + ", " + victim
                + (healthy ? " healthy" : " NOT healthy") + ", keys " + keysBefore + " -> " + keysAfter);
        return result.ok(healthy && keysAfter == keysBefore);
    }
}
