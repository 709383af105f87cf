package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
public final class DirectorRestoreScenario implements Scenario {

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
                + "approve bbr-director-restore over REST; the director knows the deployment again";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        PksCluster pks = world.pks();
        BoshDirectorSimulator simulator = pks.director();
        EtcdCluster etcd = pks.etcd();
        String clusterId = pks.clusterId();
        DirectorView director = new DirectorView(pks.client(), PksCluster.DEPLOYMENT);
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, clusterId, Duration.ofSeconds(60));
            result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                    .put("keys_before", null).put("keys_after", null);
            etcd.putKeys("/demo/" + NAME + "/", KEYS);
            long keysBefore = etcd.countKeys();
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": bbr director backup through backup-service");
            Instant backupStarted = Instant.now();
            String backupId = ServiceCalls.startBackup(world, clusterId, "bbr-director");
            var backup = ServiceCalls.awaitVerifiedBackup(ServiceCalls.backup(world, backupId), world.tokens().viewer(),
                    Duration.ofSeconds(120));
            result.put("backup_id", backupId).put("backup_ms", Duration.between(backupStarted, Instant.now()).toMillis())
                    .put("backup_location", backup.path("location").asText(null));

            progress.say(NAME + ": backup " + backupId + " verified; the director goes down and loses its state");
            Instant injected = Instant.now();
            simulator.directorDown();
            simulator.loseState();

            Optional<EventWatcher.Seen> opened = events.await(EventWatcher.incidentOpened(clusterId,
                    i -> i.failure() == FailureKind.BOSH_DIRECTOR_UNREACHABLE), Duration.ofSeconds(45));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened with BOSH_DIRECTOR_UNREACHABLE within 45 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> proposed = events.await(EventWatcher.planUpdated(clusterId,
                    PlanNames.BBR_DIRECTOR_RESTORE, u -> u.state() == PlanState.AWAITING_APPROVAL || u.state().isFinal()),
                    Duration.ofSeconds(30));
            if (proposed.isEmpty()) {
                return result.put("error", "no " + PlanNames.BBR_DIRECTOR_RESTORE + " plan awaiting approval within 30 s");
            }
            RecoveryUpdate plan = proposed.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId());
            if (plan.state() != PlanState.AWAITING_APPROVAL) {
                return result.put("plan_state", plan.state().name())
                        .put("error", "plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
            }

            // the operator's part of seed 003: a new director VM, deployed empty, before bbr can restore into it
            simulator.directorUp();
            boolean emptyDirector = Pause.until(director::answers, Duration.ofSeconds(10)) && !director.knowsDeployment();
            result.put("new_director_empty", emptyDirector);
            // a director that answers is not a director that is whole: cpr must say it does not know the deployment
            Optional<EventWatcher.Seen> stateLoss = events.await(EventWatcher.incidentOpened(clusterId,
                    i -> i.failure() == FailureKind.BOSH_DEPLOYMENT_UNKNOWN), Duration.ofSeconds(30));
            boolean stateLossSeen = stateLoss.isPresent();
            result.put("state_loss_detected", stateLossSeen);
            // the unreachable incident resolved, so its waiting plan is withdrawn; the state loss gets its own
            RecoveryUpdate toApprove = plan;
            if (stateLossSeen) {
                String lossIncident = stateLoss.get().data(IncidentOpened.class).incidentId();
                Optional<EventWatcher.Seen> second = events.await(EventWatcher.planUpdated(clusterId,
                        PlanNames.BBR_DIRECTOR_RESTORE, u -> u.incidentId().equals(lossIncident)
                                && u.state() == PlanState.AWAITING_APPROVAL), Duration.ofSeconds(30));
                if (second.isPresent()) {
                    toApprove = second.get().data(RecoveryUpdate.class);
                }
                result.put("first_plan_withdrawn", events.seen().stream()
                        .filter(EventWatcher.planUpdated(clusterId, PlanNames.BBR_DIRECTOR_RESTORE,
                                u -> u.planId().equals(plan.planId()) && u.state() == PlanState.CANCELLED))
                        .findAny().isPresent());
            }
            RecoveryUpdate approving = toApprove;
            result.put("plan_id", approving.planId());
            progress.say(NAME + ": a new director answers " + (emptyDirector ? "and knows no deployment" : "(NOT empty)")
                    + "; approving plan " + approving.planId() + ": " + approving.message());
            ServiceCalls.approve(world, approving.planId(), NAME + " scenario");
            result.put("approved_ms", Duration.between(injected, Instant.now()).toMillis());

            Optional<EventWatcher.Seen> finished = events.await(EventWatcher.planUpdated(clusterId,
                    PlanNames.BBR_DIRECTOR_RESTORE, u -> u.planId().equals(approving.planId()) && u.state().isFinal()),
                    Duration.ofSeconds(180));
            if (finished.isEmpty()) {
                return result.put("error", "the director restore did not finish within 180 s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name()).put("steps", BoshMasterRecreateScenario.steps(done));
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            boolean recovered = Pause.until(() -> director.knowsDeployment()
                    && director.allMastersRunning(PksCluster.MASTERS), Duration.ofSeconds(30));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter)
                    .put("deployment_known", director.knowsDeployment()).put("masters", director.describeMasters());
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED; the director lists " + PksCluster.DEPLOYMENT
                    + ": " + director.describeMasters() + "; keys " + keysBefore + " -> " + keysAfter);
            return result.ok(emptyDirector && stateLossSeen && recovered && keysAfter == keysBefore);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        } finally {
            // whatever happened, the next scenario finds a director that answers
            simulator.directorUp();
        }
    }
}
