package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;
import java.util.List;

/**
 * Two of three members die (their processes killed) with their data directories intact: quorum is lost, but starting
 * them again loses nothing. cpr must survey the members, run {@code etcd-quorum-revive} by itself (no approval, no
 * snapshot restore proposed) and bring back every key. Judged from outside: the incident and plan events on Kafka and
 * the real cluster's keys.
 */
public final class QuorumReviveScenario extends ClusterRecoveryScenario {

    public static final String NAME = "quorum-revive";
    static final int KEYS = 10_000;
    static final List<String> VICTIMS = List.of("etcd-2", "etcd-3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "write 10,000 keys, kill two of three members leaving their data intact; cpr starts them again by "
                + "itself (" + PlanNames.ETCD_QUORUM_REVIVE + "), no restore, every key back";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        result.put("detected_ms", null).put("recovered_ms", null).put("keys_before", null).put("keys_after", null);
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        long keysBefore = etcd.countKeys();
        result.put("keys_before", keysBefore);

        run.say(keysBefore + " keys; killing " + String.join(", ", VICTIMS) + " (their data stays)");
        run.inject();
        etcd.killTogether(VICTIMS);

        IncidentOpened incident = run.awaitIncident(FailureKind.QUORUM_LOST);
        RecoveryUpdate plan = run.awaitFirstPlan(incident);
        result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("options", options(plan));
        run.say("plan " + plan.plan() + " " + plan.state() + ": " + plan.message());
        if (!PlanNames.ETCD_QUORUM_REVIVE.equals(plan.plan())) {
            throw run.fail("the plan is " + plan.plan() + ", not " + PlanNames.ETCD_QUORUM_REVIVE);
        }

        RecoveryUpdate done = run.awaitPlanEnd(plan.planId(), Duration.ofSeconds(90),
                "the revive did not finish within 90 s");
        result.put("plan_state", done.state().name()).put("rto_ms", done.rtoMillis())
                .put("awaited_approval", run.events().seen().stream().anyMatch(s -> isUpdate(s)
                        && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                        && s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL));
        run.requireSucceeded(done);
        etcd.awaitHealthy(Duration.ofSeconds(15));
        long keysAfter = etcd.countKeys();
        boolean restoreProposed = run.restoreProposed();
        result.put("recovered_ms", run.msSinceInjection()).put("keys_after", keysAfter)
                .put("restore_proposed", restoreProposed);
        run.say("plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter);
        return result.ok(keysAfter == keysBefore && !restoreProposed
                && !(Boolean) result.get("awaited_approval"));
    }

    static boolean isUpdate(EventWatcher.Seen seen) {
        return ClusterRun.isUpdate(seen);
    }

    /** The ranked options as short lines: {@code etcd-quorum-revive chosen, loses 0 revisions, 0 s}. */
    static List<String> options(RecoveryUpdate update) {
        return update.options().stream().map(QuorumReviveScenario::line).toList();
    }

    private static String line(RecoveryOption o) {
        return o.plan() + (o.chosen() ? " chosen" : o.viable() ? "" : " not possible")
                + (o.viable() ? ", loses " + (o.revisionsLost() == null ? "?" : o.revisionsLost()) + " revisions, "
                + (o.secondsLost() == null ? "?" : o.secondsLost()) + " s" : "");
    }
}
