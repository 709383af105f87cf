package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.QuorumLossScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan engine's promise at every step boundary of a quorum restore: restore-service is halted right
 * after a step is stored as done (fault injection), started again with the fault moved to the next step, and so on
 * through a run of steps; the plan resumes each time where the stored record says it stopped, and the cluster still
 * ends healthy with every key it had (the snapshot's, then the change log's). The quorum-loss scenario (seed 000)
 * drives each run from outside.
 *
 * <p>The ten boundaries are covered by two restores of five halts each, not ten restores of one: a halt costs a JVM
 * start (about 9 s on a loaded 2-core machine), a restore with its snapshot and approval about 35 s, and the
 * scenario gives the plan 120 s to end. Each halt after the first also proves that a plan resumed once resumes again.
 */
class QuorumRestoreKilledAtEachStepIT {

    /** The quorum restore's steps, in the plan's order. */
    static Stream<Arguments> runsOfSteps() {
        return Stream.of(
                Arguments.of(List.of("fetch-snapshot", "fetch-change-log", "stop-members", "restore-members",
                        "start-members")),
                Arguments.of(List.of("verify-restore", "replay-changes", "verify-point", "restore-v2-keys",
                        "post-restore-hooks")));
    }

    /** Passed or failed, the tests after this one meet a restore-service without the fault. */
    @AfterEach
    void disarmTheFault() throws Exception {
        SharedWorld.get().resetToDefaults(CprService.RESTORE_SERVICE);
    }

    @ParameterizedTest(name = "restore-service halted right after each of {0}")
    @MethodSource("runsOfSteps")
    void aQuorumRestoreInterruptedAfterEachStepInTurnStillEndsHealthyWithEveryKey(List<String> steps) throws Exception {
        World world = SharedWorld.get();
        World.Progress progress = line -> System.out.println("[e2e] " + line);

        // given a restore-service that halts as soon as the first of these steps is stored as done,
        // and a watcher that starts it again after each halt, armed for the next step (the last time without the fault)
        ServiceProcess armed = world.restart(CprService.RESTORE_SERVICE, haltAfter(steps.get(0)));
        CompletableFuture<List<Integer>> halts = CompletableFuture.supplyAsync(
                () -> restartAfterEachHalt(world, armed, steps, progress));

        // when quorum is lost and the proposed restore is approved
        ScenarioResult result = new QuorumLossScenario().run(world, progress);
        progress.say(result.toJson());

        // then restore-service really died after every one of the steps, and the restore still finished
        assertThat(halts.get(5, TimeUnit.MINUTES)).as("restore-service's exit code after each of " + steps)
                .hasSize(steps.size()).containsOnly(137);
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as(result.toJson()).isTrue();
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat((Long) result.get("rpo_keys_lost")).as("keys lost").isZero();
    }

    private static Map<String, String> haltAfter(String step) {
        return Map.of("CPR_RESTORE_FAULT_INJECTION_HALT_AFTER_STEP", step);
    }

    /** The exit codes, one per halt, until a halt does not come or is not the fault's (137). */
    private static List<Integer> restartAfterEachHalt(World world, ServiceProcess first, List<String> steps,
            World.Progress progress) {
        List<Integer> exits = new ArrayList<>();
        ServiceProcess running = first;
        try {
            for (int i = 0; i < steps.size(); i++) {
                Optional<Integer> exit = running.awaitExit(Duration.ofMinutes(3));
                // only the fault's halt: a service stopped by the clean-up after a failure is not to be restarted here
                if (exit.filter(code -> code == 137).isEmpty()) {
                    exit.ifPresent(exits::add);
                    return exits;
                }
                exits.add(exit.get());
                boolean last = i == steps.size() - 1;
                progress.say("restore-service exited 137 after " + steps.get(i) + "; starting it again"
                        + (last ? "" : ", to halt after " + steps.get(i + 1)));
                running = world.restart(CprService.RESTORE_SERVICE, last ? Map.of() : haltAfter(steps.get(i + 1)));
            }
            return exits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exits;
        }
    }
}
