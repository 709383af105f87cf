package dev.cpr.restore.domain.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReplaceUnlessBackTest {

    private static final String BACK = " back on its own data";
    private static final StepSpec.Check NOT_DONE = Optional::empty;

    private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    private static List<PlanStep> stored(PlanStep firstReplaceStep) {
        List<PlanStep> steps = new ArrayList<>();
        steps.add(PlanStep.pending(0, "start-member-again", "", false).succeeded(AT, "started"));
        steps.add(PlanStep.pending(1, "wait-member-back", "", false).succeeded(AT, "waited"));
        steps.add(firstReplaceStep);
        steps.add(PlanStep.pending(3, "stop-member", "", false));
        return steps;
    }

    private static PlanStep safetySnapshot() {
        return PlanStep.pending(2, "safety-snapshot", "", false);
    }

    @Test
    void theDecisionIsTakenOnceAtTheFirstGatedStepAndHeldAfterwards() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        AtomicReference<Optional<String>> answer = new AtomicReference<>(Optional.of("member id 2"));
        ReplaceUnlessBack gate = new ReplaceUnlessBack("etcd-2", BACK, 2, List.of(), () -> {
            looks.incrementAndGet();
            return answer.get();
        });

        Optional<String> first = gate.gated(NOT_DONE).alreadyDone();
        answer.set(Optional.empty());
        Optional<String> second = gate.gated(NOT_DONE).alreadyDone();

        assertThat(first).hasValueSatisfying(why -> assertThat(why).contains("etcd on etcd-2 back on its own data"));
        assertThat(second).as("still skipped though the member stopped answering").isPresent();
        assertThat(looks).hasValue(1);
    }

    @Test
    void aReplaceBegunBeforeARestartGoesOnEvenIfTheMemberAnswersNow() throws Exception {
        ReplaceUnlessBack gate = new ReplaceUnlessBack("etcd-2", BACK, 2, stored(safetySnapshot().succeeded(AT,
                "snapshot taken")), () -> Optional.of("member id 2"));

        assertThat(gate.gated(NOT_DONE).alreadyDone()).isEmpty();
    }

    @Test
    void aReplaceFoundNotNeededBeforeARestartStaysSkippedEvenIfTheMemberFailsAgain() throws Exception {
        ReplaceUnlessBack gate = new ReplaceUnlessBack("etcd-2", BACK, 2, stored(safetySnapshot().skipped(AT,
                StepSpec.notNeeded("etcd on etcd-2" + BACK).orElseThrow())), Optional::empty);

        assertThat(gate.gated(NOT_DONE).alreadyDone()).isPresent();
    }
}
