package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventCodec;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plan engine's promise: a restore-service killed in the middle of a plan resumes it after a
 * restart and never repeats a destructive step that finished.
 */
class RestoreServiceCrashResumeIT {

    private static final String VICTIM = "etcd-3";
    private static final String HALT_AFTER = "member-remove";

    /** Passed or failed, the tests after this one meet a restore-service without the fault. */
    @AfterEach
    void disarmTheFault() throws Exception {
        SharedWorld.get().resetToDefaults(CprService.RESTORE_SERVICE);
    }

    @Test
    void aRestoreServiceKilledRightAfterRemovingTheMemberFinishesThePlanWithoutRemovingItAgain() throws Exception {
        World world = SharedWorld.get();
        EtcdCluster etcd = world.sandbox().etcd();
        etcd.awaitHealthy(Duration.ofSeconds(60));
        Preconditions.awaitQuiet(world, Duration.ofSeconds(60));
        etcd.putKeys("/e2e/crash-resume/", 1_000);
        long keysBefore = etcd.countKeys();

        // given a restore-service that will halt as soon as member-remove is stored as done
        ServiceProcess restore = world.restart(CprService.RESTORE_SERVICE,
                Map.of("CPR_RESTORE_FAULT_INJECTION_HALT_AFTER_STEP", HALT_AFTER));

        RecoveryUpdate finished;
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(), Topics.RECOVERIES)) {
            // when a member loses its data
            etcd.kill(VICTIM);
            etcd.deleteWal(VICTIM);

            // then restore-service dies right after removing the member
            assertThat(restore.awaitExit(Duration.ofSeconds(60))).as("restore-service exit code").contains(137);

            // and when it is started again, without the fault
            world.restart(CprService.RESTORE_SERVICE, Map.of());

            // then the update stored with the step before the halt leaves through the outbox after the restart
            RecoveryUpdate halted = events.await(update(u -> stepState(u, HALT_AFTER) == StepState.SUCCEEDED),
                    Duration.ofSeconds(60)).orElseThrow().data(RecoveryUpdate.class);
            assertThat(halted.state()).isEqualTo(PlanState.RUNNING);

            // and it finishes the same plan
            finished = events.await(update(u -> u.planId().equals(halted.planId()) && u.state().isFinal()),
                    Duration.ofSeconds(60)).orElseThrow().data(RecoveryUpdate.class);
            assertThat(finished.state()).as(finished.message()).isEqualTo(PlanState.SUCCEEDED);
        }

        // and its record shows member-remove ran once, and every step is done
        JsonNode plan = getJson(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/" + finished.planId(),
                world.tokens().viewer());
        List<String> stepLines = new ArrayList<>();
        for (JsonNode step : plan.get("steps")) {
            stepLines.add(step.get("name").asText() + ":" + step.get("state").asText() + ":" + step.get("attempts").asInt());
        }
        assertThat(stepLines).contains(HALT_AFTER + ":SUCCEEDED:1");
        assertThat(stepLines).allSatisfy(line -> assertThat(line).containsAnyOf(":SUCCEEDED:", ":SKIPPED:"));
        assertThat(etcd.isHealthy(VICTIM)).isTrue();
        assertThat(etcd.countKeys()).isEqualTo(keysBefore);
    }

    private static Predicate<EventWatcher.Seen> update(Predicate<RecoveryUpdate> match) {
        return seen -> {
            if (!EventTypes.RECOVERY_UPDATED.equals(seen.event().type())) {
                return false;
            }
            return match.test(seen.data(RecoveryUpdate.class));
        };
    }

    private static StepState stepState(RecoveryUpdate update, String step) {
        return update.steps().stream().filter(s -> s.name().equals(step)).findFirst().map(StepView::state).orElse(null);
    }

    static JsonNode getJson(String url, String bearerToken) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                        .header("Authorization", "Bearer " + bearerToken).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }
}
