package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.kernel.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class PlanEngineTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:05Z");
    private static final RetryPolicy THREE_TIMES =
            new RetryPolicy(3, new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1)));

    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final List<RecoveryPlan> published = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PlanEngine engine(List<StepSpec> specs) {
        PlanListener publisher = new PlanListener() {
            @Override
            public void transitioned(RecoveryPlan plan) {
                published.add(plan);
            }
        };
        return new PlanEngine(store, plan -> specs, publisher, executor, Clock.fixed(NOW, ZoneOffset.UTC), slept::add);
    }

    private static StepSpec step(String name, StepSpec.Check check, StepSpec.Action action) {
        return new StepSpec(name, name, false, Duration.ofSeconds(5), THREE_TIMES, check, action, StepSpec.nothing());
    }

    private RecoveryPlan stored(String... names) {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            steps.add(PlanStep.pending(i, names[i], names[i], false));
        }
        RecoveryPlan plan = Plans.running("test-plan", steps);
        store.insert(plan);
        return plan;
    }

    @Test
    void everyStepRunsInOrderAndThePlanSucceedsWithItsRto() throws Exception {
        List<String> ran = new ArrayList<>();
        RecoveryPlan plan = stored("a", "b");

        RecoveryPlan result = engine(List.of(
                step("a", StepSpec.never(), () -> { ran.add("a"); return "did a"; }),
                step("b", StepSpec.never(), () -> { ran.add("b"); return "did b"; }))).run(plan);

        assertThat(ran).containsExactly("a", "b");
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.rtoMillis()).isEqualTo(5000);
        assertThat(result.steps()).extracting(PlanStep::state).containsExactly(StepState.SUCCEEDED, StepState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::output).containsExactly("did a", "did b");
    }

    @Test
    void everyTransitionIsStoredThenPublishedWithAnIncreasingSequence() throws Exception {
        RecoveryPlan plan = stored("a", "b");

        engine(List.of(step("a", StepSpec.never(), () -> "a"), step("b", StepSpec.never(), () -> "b"))).run(plan);

        // a RUNNING, a SUCCEEDED, b RUNNING, b SUCCEEDED, plan SUCCEEDED
        assertThat(store.saved).hasSize(5);
        assertThat(published).isEqualTo(store.saved);
        assertThat(published).extracting(RecoveryPlan::sequence).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(published.get(0).step(0).state()).isEqualTo(StepState.RUNNING);
        assertThat(published.get(4).state()).isEqualTo(PlanState.SUCCEEDED);
    }

    @Test
    void aStepWhoseCheckFindsTheWorkDoneIsSkippedWithoutRunningItsAction() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        RecoveryPlan plan = stored("a");

        RecoveryPlan result = engine(List.of(step("a", () -> Optional.of("nothing to do"),
                () -> "ran " + actions.incrementAndGet()))).run(plan);

        assertThat(actions).hasValue(0);
        assertThat(result.step(0).state()).isEqualTo(StepState.SKIPPED);
        assertThat(result.step(0).attempts()).isZero();
        assertThat(result.step(0).output()).isEqualTo("already done: nothing to do");
    }

    @Test
    void aFailingStepIsRetriedWithBackoffAndThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RecoveryPlan plan = stored("flaky");

        RecoveryPlan result = engine(List.of(step("flaky", StepSpec.never(), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("etcdserver: unhealthy cluster");
            }
            return "worked";
        }))).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(0).attempts()).isEqualTo(3);
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aStepThatKeepsFailingFailsThePlanWithTheReason() throws Exception {
        List<String> ran = new ArrayList<>();
        RecoveryPlan plan = stored("broken", "after");

        RecoveryPlan result = engine(List.of(
                step("broken", StepSpec.never(), () -> { throw new IllegalStateException("disk on fire"); }),
                step("after", StepSpec.never(), () -> { ran.add("after"); return "after"; }))).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).isEqualTo("step broken failed after 3 attempts: disk on fire");
        assertThat(result.step(0).state()).isEqualTo(StepState.FAILED);
        assertThat(result.step(0).attempts()).isEqualTo(3);
        assertThat(result.step(1).state()).isEqualTo(StepState.PENDING);
        assertThat(ran).isEmpty();
        assertThat(store.find(plan.id()).orElseThrow().state()).isEqualTo(PlanState.FAILED);
    }

    @Test
    void anActionThatHangsTimesOutAndCountsAsAFailedAttempt() throws Exception {
        RecoveryPlan plan = stored("hangs");
        StepSpec hangs = new StepSpec("hangs", "hangs", false, Duration.ofMillis(50),
                new RetryPolicy(1, THREE_TIMES.backoff()), StepSpec.never(), () -> {
                    Thread.sleep(10_000);
                    return "never";
                }, StepSpec.nothing());

        RecoveryPlan result = engine(List.of(hangs)).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(0).output()).isEqualTo("action timed out after 0.05 s");
        assertThat(result.message()).isEqualTo("step hangs action timed out after 0.05 s");
    }

    @Test
    void aTimedOutStepFailsThePlanAtOnceWithoutRetries() throws Exception {
        RecoveryPlan plan = stored("hangs");
        AtomicInteger calls = new AtomicInteger();
        StepSpec hangs = new StepSpec("hangs", "hangs", false, Duration.ofSeconds(0).plusMillis(100), THREE_TIMES,
                StepSpec.never(), () -> {
                    calls.incrementAndGet();
                    Thread.sleep(10_000);
                    return "never";
                }, StepSpec.nothing());

        RecoveryPlan result = engine(List.of(hangs)).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(calls).hasValue(1);
        assertThat(result.step(0).attempts()).isEqualTo(1);
        assertThat(result.message()).endsWith("timed out after 0.1 s");
    }

    @Test
    void aFatalFailureIsNotRetried() throws Exception {
        RecoveryPlan plan = stored("refuses");

        RecoveryPlan result = engine(List.of(step("refuses", StepSpec.never(), () -> {
            throw new StepSpec.FatalStepException("hash mismatch");
        }))).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(0).attempts()).isEqualTo(1);
        assertThat(result.message()).isEqualTo("step refuses hash mismatch");
        assertThat(slept).isEmpty();
    }

    @Test
    void aCancelRequestStopsThePlanBeforeItsNextStepAndLetsTheRunningOneFinish() throws Exception {
        List<String> ran = new ArrayList<>();
        RecoveryPlan plan = stored("a", "b", "c");
        AtomicInteger checks = new AtomicInteger();
        PlanStore cancelling = new PlanStore() {
            @Override
            public void save(RecoveryPlan p) {
                store.save(p);
            }

            @Override
            public Optional<RecoveryPlan> find(String id) {
                return store.find(id);
            }

            @Override
            public List<RecoveryPlan> running() {
                return store.running();
            }

            @Override
            public Optional<String> cancelRequested(String id) {
                // asked for while step a runs: a finishes, b never starts
                return checks.incrementAndGet() > 1 ? Optional.of("oncall") : Optional.empty();
            }
        };
        PlanEngine engine = new PlanEngine(cancelling, p -> List.of(
                step("a", StepSpec.never(), () -> { ran.add("a"); return "a"; }),
                step("b", StepSpec.never(), () -> { ran.add("b"); return "b"; }),
                step("c", StepSpec.never(), () -> { ran.add("c"); return "c"; })),
                new PlanListener() { }, executor, Clock.fixed(NOW, ZoneOffset.UTC), slept::add);

        RecoveryPlan result = engine.run(plan);

        assertThat(ran).containsExactly("a");
        assertThat(result.state()).isEqualTo(PlanState.CANCELLED);
        assertThat(result.decidedBy()).isEqualTo("oncall");
        assertThat(result.message()).isEqualTo("cancelled by oncall before step b (1 of 3 steps done)");
        assertThat(result.step(0).state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(result.step(1).state()).isEqualTo(StepState.PENDING);
    }

    @Test
    void storedStepsThatDoNotMatchThePlanKindFailThePlanInsteadOfGuessing() throws Exception {
        RecoveryPlan plan = stored("a", "b");

        RecoveryPlan result = engine(List.of(step("a", StepSpec.never(), () -> "a"))).run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("do not match");
    }

    @Test
    void aRunningStepsOutputSoFarIsPublishedAtMostEveryTwoSecondsAndItsResultFollowsInSequence() throws Exception {
        // given a step that shows three lines of output: two within two seconds, the third after them
        MovingClock clock = new MovingClock(NOW);
        RecoveryPlan plan = stored("playbook");
        StepSpec playbook = step("playbook", StepSpec.never(), StepSpec.Action.showingOutput(live -> {
            live.show("TASK [etcd : stop]");
            clock.advance(Duration.ofMillis(500));
            live.show("TASK [etcd : stop]\nTASK [etcd : restore]");
            clock.advance(Duration.ofSeconds(2));
            live.show("TASK [etcd : restore]\nTASK [etcd : start]");
            return "exit 0";
        }));
        PlanListener publisher = new PlanListener() {
            @Override
            public void transitioned(RecoveryPlan p) {
                published.add(p);
            }
        };

        // when the plan runs
        RecoveryPlan result = new PlanEngine(store, p -> List.of(playbook), publisher, executor, clock, slept::add).run(plan);

        // then the first and third glimpses were published while the step ran, the second was held back
        List<String> runningOutputs = published.stream().map(p -> p.step(0))
                .filter(step -> step.state() == StepState.RUNNING && step.output() != null)
                .map(PlanStep::output).toList();
        assertThat(runningOutputs).containsExactly("TASK [etcd : stop]", "TASK [etcd : restore]\nTASK [etcd : start]");
        // and every publication has a higher sequence than the one before, the result last, replacing the glimpses
        assertThat(published).extracting(RecoveryPlan::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(result.step(0).output()).isEqualTo("exit 0");
        assertThat(store.find(plan.id())).map(RecoveryPlan::sequence).hasValue(result.sequence());
    }

    @Test
    void anActionRunOutsideTheEngineShowsItsOutputNowhere() throws Exception {
        StepSpec.Action action = StepSpec.Action.showingOutput(live -> {
            live.show("a line");
            return "done";
        });

        assertThat(action.run()).isEqualTo("done");
    }

    /** A clock a test moves forward by hand. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
