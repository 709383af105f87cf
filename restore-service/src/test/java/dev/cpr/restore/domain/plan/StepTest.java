package dev.cpr.restore.domain.plan;

import static dev.cpr.restore.domain.plan.Step.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.recovery.StepState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepTest {

    @Test
    void oneDeclarationGivesBothTheStoredOutlineAndWhatTheEngineRuns() throws Exception {
        List<Step> steps = List.of(
                step("stop-member", "make sure etcd-2's etcd process is not running").run(() -> "stopped"),
                step("member-remove", "remove etcd-2 from the member list").destructive()
                        .timeout(Duration.ofSeconds(20)).check(() -> Optional.of("gone")).run(() -> "removed"));

        List<PlanStep> outline = Step.outline(steps);
        List<StepSpec> specs = Step.specs(steps);

        assertThat(outline).extracting(PlanStep::index, PlanStep::name, PlanStep::description, PlanStep::destructive,
                PlanStep::state).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, "stop-member",
                                "make sure etcd-2's etcd process is not running", false, StepState.PENDING),
                        org.assertj.core.groups.Tuple.tuple(1, "member-remove", "remove etcd-2 from the member list",
                                true, StepState.PENDING));
        assertThat(specs.get(1).name()).isEqualTo("member-remove");
        assertThat(specs.get(1).destructive()).isTrue();
        assertThat(specs.get(1).timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(specs.get(1).check().alreadyDone()).contains("gone");
        assertThat(specs.get(1).action().run()).isEqualTo("removed");
    }

    @Test
    void anUndeclaredPartTakesTheSafeDefault() throws Exception {
        StepSpec spec = step("verify-cluster", "every member healthy").run(() -> "ok").spec();

        assertThat(spec.destructive()).isFalse();
        assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(spec.check().alreadyDone()).isEmpty();
    }

    @Test
    void aStepWithoutAnActionIsRefusedWhenItIsRun() {
        Step step = step("wipe-data-dir", "delete etcd-2's data directory").destructive();

        assertThat(step.pending(3).name()).isEqualTo("wipe-data-dir");
        assertThatThrownBy(step::spec).hasMessageContaining("wipe-data-dir has no action");
    }
}
