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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plan engine's promise at every step boundary of a quorum restore: restore-service is halted right
 * after the step is stored as done (fault injection), started again, and the cluster still ends healthy
 * with every key it had (the snapshot's, then the change log's). The quorum-loss scenario (seed 000) drives each run
 * from outside.
 */
class QuorumRestoreKilledAtEachStepIT {

    /** Passed or failed, the tests after this one meet a restore-service without the fault. */
    @AfterEach
    void disarmTheFault() throws Exception {
        SharedWorld.get().resetToDefaults(CprService.RESTORE_SERVICE);
    }

    @ParameterizedTest(name = "restore-service halted right after {0}")
    @ValueSource(strings = {"fetch-snapshot", "fetch-change-log", "stop-members", "restore-members", "start-members",
            "verify-restore", "replay-changes", "verify-point", "restore-v2-keys", "post-restore-hooks"})
    void aQuorumRestoreInterruptedAfterAnyStepStillEndsHealthyWithTheSnapshotsKeys(String step) throws Exception {
        World world = SharedWorld.get();
        World.Progress progress = line -> System.out.println("[e2e] " + line);

        // given a restore-service that halts as soon as this step is stored as done,
        // and a watcher that starts it again, without the fault, once it has died
        ServiceProcess restore = world.restart(CprService.RESTORE_SERVICE,
                Map.of("CPR_RESTORE_FAULT_INJECTION_HALT_AFTER_STEP", step));
        CompletableFuture<Optional<Integer>> halted = CompletableFuture.supplyAsync(() -> {
            try {
                Optional<Integer> exit = restore.awaitExit(Duration.ofMinutes(4));
                // only the fault's halt: a service stopped by the clean-up after a failure is not to be restarted here
                if (exit.filter(code -> code == 137).isPresent()) {
                    progress.say("restore-service exited " + exit.get() + " after " + step + "; starting it again");
                    world.restart(CprService.RESTORE_SERVICE, Map.of());
                }
                return exit;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });

        // when quorum is lost and the proposed restore is approved
        ScenarioResult result = new QuorumLossScenario().run(world, progress);
        progress.say(result.toJson());

        // then restore-service really died after the step, and the restore still finished
        assertThat(halted.get(5, TimeUnit.MINUTES)).as("restore-service's exit code").contains(137);
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as(result.toJson()).isTrue();
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        assertThat((Long) result.get("rpo_keys_lost")).as("keys lost").isZero();
    }
}
