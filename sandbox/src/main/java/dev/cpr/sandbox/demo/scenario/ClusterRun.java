package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One run of a {@link ClusterRecoveryScenario}: the world, the result being filled, the events seen, and the steps
 * every such scenario judges the same way (the incident, the plan, the approval, the end of the plan). A step whose
 * awaited event does not come throws {@link Failure} with the sentence the result reports.
 */
final class ClusterRun {

    /** The scenario ended early; the message is the result's {@code error}. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private static final Duration INCIDENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PLAN_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final World world;
    private final World.Progress progress;
    private final ScenarioResult result;
    private final EventWatcher events;
    private final EtcdCluster etcd;
    private final String clusterId;
    private Instant injected;

    ClusterRun(String name, World world, World.Progress progress, ScenarioResult result, EventWatcher events,
            EtcdCluster etcd, String clusterId) {
        this.name = name;
        this.world = world;
        this.progress = progress;
        this.result = result;
        this.events = events;
        this.etcd = etcd;
        this.clusterId = clusterId;
    }

    World world() {
        return world;
    }

    ScenarioResult result() {
        return result;
    }

    EventWatcher events() {
        return events;
    }

    EtcdCluster etcd() {
        return etcd;
    }

    String clusterId() {
        return clusterId;
    }

    /** Says a line of progress, prefixed with the scenario's name. */
    void say(String line) {
        progress.say(name + ": " + line);
    }

    /** Marks now as the moment the fault is injected; every {@code *_ms} is measured from it. */
    Instant inject() {
        injected = Instant.now();
        return injected;
    }

    long msSinceInjection() {
        return msSinceInjection(Instant.now());
    }

    long msSinceInjection(Instant at) {
        return Duration.between(injected, at).toMillis();
    }

    Failure fail(String message) {
        return new Failure(message);
    }

    /** The incident for this cluster and failure, within 30 s; records {@code detected_ms}. */
    IncidentOpened awaitIncident(FailureKind failure) {
        return awaitIncident(EventWatcher.incidentOpened(clusterId, i -> i.failure() == failure),
                "no incident.opened with " + failure + " within 30 s");
    }

    /** The incident {@code which} matches, within 30 s, else fails with {@code missing}; sets {@code detected_ms}. */
    IncidentOpened awaitIncident(Predicate<EventWatcher.Seen> which, String missing) {
        return awaitIncident(which, INCIDENT_TIMEOUT, missing);
    }

    /** As {@link #awaitIncident(Predicate, String)}, waiting up to {@code timeout}. */
    IncidentOpened awaitIncident(Predicate<EventWatcher.Seen> which, Duration timeout, String missing) {
        Optional<EventWatcher.Seen> opened = events.await(which.and(this::confirmedSinceInjection), timeout);
        if (opened.isEmpty()) {
            throw fail(missing);
        }
        IncidentOpened incident = opened.get().data(IncidentOpened.class);
        result.put("detected_ms", msSinceInjection(incident.detectedAt()));
        say("incident " + incident.incidentId() + " opened: " + incident.summary());
        return incident;
    }

    /**
     * An incident confirmed before the fault went in is not this scenario's: a world that has just started can open a
     * false one while its JVMs warm up, and its plan is cancelled as it resolves.
     */
    private boolean confirmedSinceInjection(EventWatcher.Seen seen) {
        return injected == null || !seen.data(IncidentOpened.class).detectedAt().isBefore(injected);
    }

    /** The first plan update for the incident, whatever its state, within 30 s. */
    RecoveryUpdate awaitFirstPlan(IncidentOpened incident) {
        return awaitUpdate(forIncident(incident), PLAN_TIMEOUT, "no plan for the incident within 30 s");
    }

    /** The incident's plan once it awaits approval (or already ended), within 30 s. */
    RecoveryUpdate awaitProposal(IncidentOpened incident) {
        return awaitUpdate(forIncident(incident).and(s -> update(s).state() == PlanState.AWAITING_APPROVAL
                || update(s).state().isFinal()), PLAN_TIMEOUT, "no plan awaiting approval within 30 s of the incident");
    }

    /** The incident's plan once it ended, within {@code timeout}. */
    RecoveryUpdate awaitIncidentPlanEnd(IncidentOpened incident, Duration timeout) {
        return awaitUpdate(forIncident(incident).and(s -> update(s).state().isFinal()), timeout,
                "the recovery plan did not finish within " + timeout.toSeconds() + " s");
    }

    /** The plan once it ended, within {@code timeout}, else fails with {@code missing}. */
    RecoveryUpdate awaitPlanEnd(String planId, Duration timeout, String missing) {
        return awaitUpdate(s -> isUpdate(s) && planId.equals(update(s).planId()) && update(s).state().isFinal(),
                timeout, missing);
    }

    /** The first update of this cluster's plan {@code plan} that {@code which} accepts, within {@code timeout}. */
    RecoveryUpdate awaitPlan(String plan, Predicate<RecoveryUpdate> which, Duration timeout, String missing) {
        return awaitUpdate(EventWatcher.planUpdated(clusterId, plan, which), timeout, missing);
    }

    /** Approves the plan over restore-service's REST API as the operator; records {@code approved_ms}. */
    void approve(RecoveryUpdate plan, String reason) throws IOException, InterruptedException {
        say("plan " + plan.planId() + " awaits approval: " + plan.message() + "; approving");
        ServiceCalls.send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/" + plan.planId()
                + "/approve", "POST", "{\"reason\":\"" + reason + "\"}", world.tokens().operator(), 200);
        result.put("approved_ms", msSinceInjection());
    }

    /**
     * How long each step of the plan took, in milliseconds and in the plan's order, from restore-service's record of
     * it (its steps' start and end times): where a recovery's time goes. Empty when the record cannot be read.
     */
    java.util.Map<String, Long> stepMillis(String planId) {
        java.util.Map<String, Long> millis = new java.util.LinkedHashMap<>();
        try {
            var plan = ServiceCalls.send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/"
                    + planId, "GET", null, world.tokens().viewer(), 200);
            for (var step : plan.path("steps")) {
                if (step.hasNonNull("startedAt") && step.hasNonNull("finishedAt")) {
                    millis.put(step.path("name").asText(), Duration.between(
                            Instant.parse(step.path("startedAt").asText()),
                            Instant.parse(step.path("finishedAt").asText())).toMillis());
                }
            }
        } catch (IOException | RuntimeException e) {
            say("the plan's step times could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }

    /** Fails unless the plan SUCCEEDED. */
    void requireSucceeded(RecoveryUpdate done) {
        if (done.state() != PlanState.SUCCEEDED) {
            throw fail("plan " + done.planId() + " ended " + done.state() + ": " + done.message());
        }
    }

    /** Whether a snapshot restore was ever proposed for this cluster during the run. */
    boolean restoreProposed() {
        return events.seen().stream().anyMatch(s -> isUpdate(s)
                && PlanNames.ETCD_QUORUM_RESTORE.equals(update(s).plan())
                && clusterId.equals(update(s).clusterId()));
    }

    static boolean isUpdate(EventWatcher.Seen seen) {
        return EventTypes.RECOVERY_UPDATED.equals(seen.event().type());
    }

    private RecoveryUpdate awaitUpdate(Predicate<EventWatcher.Seen> which, Duration timeout, String missing) {
        return events.await(which, timeout).map(ClusterRun::update).orElseThrow(() -> fail(missing));
    }

    private static Predicate<EventWatcher.Seen> forIncident(IncidentOpened incident) {
        return s -> isUpdate(s) && incident.incidentId().equals(update(s).incidentId());
    }

    private static RecoveryUpdate update(EventWatcher.Seen seen) {
        return seen.data(RecoveryUpdate.class);
    }
}
