package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Seed 003: the BOSH director is lost. Before the fault the scenario has backup-service take a bbr director backup
 * over REST and waits until the artifact is verified. Then the director stops answering and its state is gone.
 * cpr must notice (BOSH_DIRECTOR_UNREACHABLE) and propose {@code bbr-director-restore}, waiting for a person. The
 * operator brings up a new, empty director (its API answers, it knows no deployment); cpr must say so
 * (BOSH_DEPLOYMENT_UNKNOWN: an answering director is not a whole one). The unreachable incident resolved, so its
 * waiting plan is withdrawn and the state loss gets a {@code bbr-director-restore} of its own, which the operator
 * approves over REST.
 * Recovered: the plan SUCCEEDED and the director lists the PKS deployment with every master running again. The
 * etcd cluster (1,000 keys written first) is not touched by any of this: its keys must stay as they were. Times are
 * measured from the fault.
 */
public final class DirectorRestoreScenario extends PksRecoveryScenario {

    public static final String NAME = "director-restore";
    /** Keys the director's loss and restore must not touch. */
    static final int KEYS = 1_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 003: 1,000 keys, bbr director backup (verified), the director is lost, a new empty director comes up, "
                + "approve " + PlanNames.BBR_DIRECTOR_RESTORE + " over REST; the director knows the deployment again";
    }

    @Override
    protected List<String> measured() {
        return List.of("detected_ms", "approved_ms", "recovered_ms", "keys_before", "keys_after");
    }

    @Override
    protected ScenarioResult play(ClusterRun run, PksCluster pks, DirectorView director)
            throws IOException, InterruptedException {
        BoshDirectorSimulator simulator = pks.director();
        try {
            return lose(run, simulator, director);
        } finally {
            // whatever happened, the next scenario finds a director that answers
            simulator.directorUp();
        }
    }

    private ScenarioResult lose(ClusterRun run, BoshDirectorSimulator simulator, DirectorView director)
            throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        String clusterId = run.clusterId();
        long keysBefore = writeKeys(run, "", KEYS);
        result.put("keys_before", keysBefore);

        run.say("bbr director backup through backup-service");
        Instant backupStarted = Instant.now();
        String backupId = ServiceCalls.startBackup(run.world(), clusterId, "bbr-director");
        var backup = ServiceCalls.awaitVerifiedBackup(ServiceCalls.backup(run.world(), backupId),
                run.world().tokens().viewer(), Duration.ofSeconds(120));
        result.put("backup_id", backupId).put("backup_ms", Duration.between(backupStarted, Instant.now()).toMillis())
                .put("backup_location", backup.path("location").asText(null));

        run.say("backup " + backupId + " verified; the director goes down and loses its state");
        run.inject();
        simulator.directorDown();
        simulator.loseState();

        run.awaitIncident(EventWatcher.incidentOpened(clusterId,
                i -> i.failure() == FailureKind.BOSH_DIRECTOR_UNREACHABLE), Duration.ofSeconds(45),
                "no incident.opened with BOSH_DIRECTOR_UNREACHABLE within 45 s");
        RecoveryUpdate plan = run.awaitPlan(PlanNames.BBR_DIRECTOR_RESTORE,
                u -> u.state() == PlanState.AWAITING_APPROVAL || u.state().isFinal(), Duration.ofSeconds(30),
                "no " + PlanNames.BBR_DIRECTOR_RESTORE + " plan awaiting approval within 30 s");
        result.put("plan", plan.plan()).put("plan_id", plan.planId());
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            result.put("plan_state", plan.state().name());
            throw run.fail("plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
        }

        // the operator's part of seed 003: a new director VM, deployed empty, before bbr can restore into it
        simulator.directorUp();
        boolean emptyDirector = Pause.until(director::answers, Duration.ofSeconds(10)) && !director.knowsDeployment();
        result.put("new_director_empty", emptyDirector);
        // a director that answers is not a director that is whole: cpr must say it does not know the deployment
        Optional<EventWatcher.Seen> stateLoss = run.events().await(EventWatcher.incidentOpened(clusterId,
                i -> i.failure() == FailureKind.BOSH_DEPLOYMENT_UNKNOWN), Duration.ofSeconds(30));
        boolean stateLossSeen = stateLoss.isPresent();
        result.put("state_loss_detected", stateLossSeen);
        // the unreachable incident resolved, so its waiting plan is withdrawn; the state loss gets its own
        RecoveryUpdate toApprove = plan;
        if (stateLossSeen) {
            String lossIncident = stateLoss.get().data(IncidentOpened.class).incidentId();
            Optional<EventWatcher.Seen> second = run.events().await(EventWatcher.planUpdated(clusterId,
                    PlanNames.BBR_DIRECTOR_RESTORE, u -> u.incidentId().equals(lossIncident)
                            && u.state() == PlanState.AWAITING_APPROVAL), Duration.ofSeconds(30));
            if (second.isPresent()) {
                toApprove = second.get().data(RecoveryUpdate.class);
            }
            result.put("first_plan_withdrawn", run.events().seen().stream()
                    .anyMatch(EventWatcher.planUpdated(clusterId, PlanNames.BBR_DIRECTOR_RESTORE,
                            u -> u.planId().equals(plan.planId()) && u.state() == PlanState.CANCELLED)));
        }
        RecoveryUpdate approving = toApprove;
        result.put("plan_id", approving.planId());
        run.say("a new director answers " + (emptyDirector ? "and knows no deployment" : "(NOT empty)")
                + "; approving plan " + approving.planId() + ": " + approving.message());
        ServiceCalls.approve(run.world(), approving.planId(), NAME + " scenario");
        result.put("approved_ms", run.msSinceInjection());

        RecoveryUpdate done = run.awaitPlan(PlanNames.BBR_DIRECTOR_RESTORE,
                u -> u.planId().equals(approving.planId()) && u.state().isFinal(), Duration.ofSeconds(180),
                "the director restore did not finish within 180 s of the approval");
        result.put("plan_state", done.state().name()).put("steps", steps(done));
        run.requireSucceeded(done);
        boolean recovered = Pause.until(() -> director.knowsDeployment()
                && director.allMastersRunning(PksCluster.MASTERS), Duration.ofSeconds(30));
        long recoveredMs = run.msSinceInjection();
        long keysAfter = run.etcd().countKeys();
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter)
                .put("deployment_known", director.knowsDeployment()).put("masters", director.describeMasters());
        run.say("plan " + done.planId() + " SUCCEEDED; the director lists " + PksCluster.DEPLOYMENT
                + ": " + director.describeMasters() + "; keys " + keysBefore + " -> " + keysAfter);
        return result.ok(emptyDirector && stateLossSeen && recovered && keysAfter == keysBefore);
    }
}
