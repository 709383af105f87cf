package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.demo.scenario.EventWatcher;
import dev.cpr.sandbox.demo.scenario.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restore-service killed during an {@code etcd-quorum-revive} resumes it without starting a member twice: it halts
 * right after {@code start-members} is stored as done, is started again, and the plan finishes with the members
 * still the processes the first run started.
 */
class QuorumReviveCrashResumeIT {

    private static final List<String> VICTIMS = List.of("etcd-2", "etcd-3");
    private static final String HALT_AFTER = "start-members";

    /** Passed or failed, the tests after this one meet a restore-service without the fault. */
    @AfterEach
    void disarmTheFault() throws Exception {
        SharedWorld.get().resetToDefaults(CprService.RESTORE_SERVICE);
    }

    @Test
    void aRestoreServiceKilledRightAfterStartingTheMembersFinishesTheReviveWithoutStartingThemAgain() throws Exception {
        World world = SharedWorld.get();
        EtcdCluster etcd = world.sandbox().etcd();
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
        etcd.putKeys("/e2e/revive-crash/", 1_000);
        long keysBefore = etcd.countKeys();

        // given a restore-service that will halt as soon as start-members is stored as done
        ServiceProcess restore = world.restart(CprService.RESTORE_SERVICE,
                Map.of("CPR_RESTORE_FAULT_INJECTION_HALT_AFTER_STEP", HALT_AFTER));

        RecoveryUpdate finished;
        Map<String, Long> pidsStarted = new java.util.HashMap<>();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(), Topics.RECOVERIES)) {
            // when two members die together with their data intact (killed one after the other, the member streams
            // see the first alone, and each gets a revive of its own: CI23)
            etcd.killTogether(VICTIMS);

            // then restore-service starts them and dies right after
            assertThat(restore.awaitExit(Duration.ofSeconds(90))).as("restore-service exit code").contains(137);
            for (String victim : VICTIMS) {
                pidsStarted.put(victim, etcd.pid(victim).orElseThrow());
            }

            // and when it is started again, without the fault
            world.restart(CprService.RESTORE_SERVICE, Map.of());

            // then the update stored with the step before the halt leaves through the outbox after the restart
            RecoveryUpdate halted = events.await(update(u -> "etcd-quorum-revive".equals(u.plan())
                    && stepState(u, HALT_AFTER) == StepState.SUCCEEDED), Duration.ofSeconds(60))
                    .orElseThrow().data(RecoveryUpdate.class);
            assertThat(halted.state()).isEqualTo(PlanState.RUNNING);

            // and it finishes the same plan
            finished = events.await(update(u -> u.planId().equals(halted.planId()) && u.state().isFinal()),
                    Duration.ofSeconds(60)).orElseThrow().data(RecoveryUpdate.class);
            assertThat(finished.state()).as(finished.message()).isEqualTo(PlanState.SUCCEEDED);
        }

        // and each member was started once: the same processes run, and start-members ran once
        JsonNode plan = RestoreServiceCrashResumeIT.getJson(world.service(CprService.RESTORE_SERVICE).url()
                + "/api/v1/recoveries/" + finished.planId(), world.tokens().viewer());
        List<String> stepLines = new ArrayList<>();
        for (JsonNode step : plan.get("steps")) {
            stepLines.add(step.get("name").asText() + ":" + step.get("state").asText() + ":" + step.get("attempts").asInt());
        }
        assertThat(stepLines).contains(HALT_AFTER + ":SUCCEEDED:1");
        for (String victim : VICTIMS) {
            assertThat(etcd.pid(victim)).as(victim + "'s process").hasValue(pidsStarted.get(victim));
            assertThat(etcd.isHealthy(victim)).isTrue();
        }
        assertThat(etcd.countKeys()).isEqualTo(keysBefore);
    }

    private static Predicate<EventWatcher.Seen> update(Predicate<RecoveryUpdate> match) {
        return seen -> EventTypes.RECOVERY_UPDATED.equals(seen.event().type())
                && match.test(seen.data(RecoveryUpdate.class));
    }

    private static StepState stepState(RecoveryUpdate update, String step) {
        return update.steps().stream().filter(s -> s.name().equals(step)).findFirst().map(StepView::state).orElse(null);
    }
}
