package dev.cpr.restore.domain.etcd;

import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdMemberRevivePlanTest {

    private static final Duration REVIVE_WAIT = Duration.ofMillis(500);

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private PlanEngine engine;

    @BeforeEach
    void engine() {
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots,
                Duration.ofMillis(50), 5, Duration.ofSeconds(5), Duration.ofSeconds(5));
        engine = new PlanEngine(store,
                plan -> new EtcdMemberRevivePlan(cluster.spec, cluster.member(plan.targetMember()), cluster, cluster,
                        new EtcdMemberReplacePlan(cluster.spec, cluster.member(plan.targetMember()), plan.id(), cluster,
                                cluster, settings, d -> { }),
                        REVIVE_WAIT, Duration.ofMillis(50), d -> { }, plan.steps()).steps(),
                new PlanListener() { }, executor, Clock.fixed(Instant.parse("2026-01-01T10:00:04Z"), ZoneOffset.UTC),
                d -> { });
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private RecoveryPlan revive(String member) {
        RecoveryPlan plan = Plans.running("etcd-member-revive", EtcdMemberRevivePlan.outline(member));
        store.insert(plan);
        return plan;
    }

    @Test
    void aMemberWhoseProcessDiedIsStartedAgainOnItsOwnDataAndKeepsItsMemberId() throws Exception {
        // given etcd-2's process died, its data directory intact
        cluster.processDied("etcd-2");
        long memberId = cluster.listed("etcd-2").orElseThrow().id();

        // when the revive runs
        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then it was started once, and nothing destructive ran: every replace step is skipped as not needed
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::name).containsExactly("start-member-again", "wait-member-back",
                "safety-snapshot", "stop-member", "member-remove", "wipe-data-dir", "member-add", "start-member",
                "wait-caught-up", "verify-cluster");
        assertThat(result.steps()).extracting(PlanStep::state).containsExactly(SUCCEEDED, SUCCEEDED, SKIPPED, SKIPPED,
                SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SUCCEEDED);
        assertThat(result.step(1).output()).contains("etcd-2 is back on its own data");
        assertThat(result.step(4).output()).contains("etcd on etcd-2 back on its own data");
        assertThat(cluster.calls("start")).isEqualTo(1);
        assertThat(cluster.calls("remove") + cluster.calls("wipe") + cluster.calls("snapshot")).isZero();
        assertThat(cluster.listed("etcd-2").orElseThrow().id()).isEqualTo(memberId);
    }

    @Test
    void aMemberBackWhileAnotherIsDownSucceedsAndLeavesTheOtherToItsOwnIncident() throws Exception {
        // given etcd-2's process died, and etcd-3's a moment later (its own incident waits for this plan to end)
        cluster.processDied("etcd-2");
        cluster.processDied("etcd-3");

        // when etcd-2's revive runs
        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then etcd-2 is back with etcd-1 as a quorum, and the plan says so instead of waiting for etcd-3
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(9).output()).isEqualTo("2/3 members listed and healthy, one leader; etcd-2 back; "
                + "etcd-3 down, left to its own incident");
        assertThat(cluster.calls("start")).isEqualTo(1);
        assertThat(cluster.calls("remove") + cluster.calls("wipe")).isZero();
    }

    @Test
    void aMemberWhoseProcessRunsIsGivenTimeAndNeverStartedTwice() throws Exception {
        // given etcd-2 still runs (restarting, say) and answers by the time the plan looks
        RecoveryPlan result = engine.run(revive("etcd-2"));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(0).state()).isEqualTo(SKIPPED);
        assertThat(result.step(0).output()).contains("etcd process is running");
        assertThat(cluster.calls("start") + cluster.calls("stop") + cluster.calls("remove")).isZero();
    }

    /**
     * CI23: the member streams saw a killed member within half a second, while its process was still going (its
     * sockets close first). The revive found it "running", gave it time, then saw it gone and replaced it: a member
     * whose data was intact was removed and wiped.
     */
    @Test
    void aMemberStillDyingWhenLookedAtIsStartedAgainOnceItIsGoneNotReplaced() throws Exception {
        // given etcd-2 was killed and its process is still there at the first look, gone by the next
        cluster.dying("etcd-2", 1);
        long memberId = cluster.listed("etcd-2").orElseThrow().id();

        // when the revive runs
        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then it is started again on its own data once it is gone, and nothing destructive runs
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(0).state()).isEqualTo(SKIPPED);
        assertThat(result.step(1).output()).contains("etcd-2 is back on its own data")
                .contains("exited while it was waited for: started again on its own data");
        assertThat(result.steps().subList(2, 9)).extracting(PlanStep::state).containsOnly(SKIPPED);
        assertThat(cluster.calls("start")).isEqualTo(1);
        assertThat(cluster.calls("remove") + cluster.calls("wipe")).isZero();
        assertThat(cluster.listed("etcd-2").orElseThrow().id()).isEqualTo(memberId);
    }

    @Test
    void aMemberStartedAgainThatExitsAgainIsReplaced() throws Exception {
        // given etcd-2 is killed while dying twice over: the process the plan starts exits too (a crash loop)
        cluster.dying("etcd-2", 1);
        cluster.nextStartExits("etcd-2");

        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then it was started once on its own data, and then replaced (started again after the wipe)
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.calls("start")).isEqualTo(2);
        assertThat(result.step(1).output()).contains("is not running (it exited, see its log): it is replaced");
        assertThat(result.step(4).state()).as("member-remove").isEqualTo(SUCCEEDED);
        assertThat(cluster.calls("wipe")).isEqualTo(1);
    }

    @Test
    void aMemberThatStaysHungPastTheReviveWaitIsReplaced() throws Exception {
        // given etcd-2's process runs but never answers
        cluster.hang("etcd-2");
        long memberId = cluster.listed("etcd-2").orElseThrow().id();

        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then the wait says so, and the member replace runs in full: stopped, removed, wiped, added back
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(1).output()).contains("etcd-2 not back after");
        assertThat(result.steps().subList(2, 10)).extracting(PlanStep::state).containsExactly(SUCCEEDED, SUCCEEDED,
                SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED);
        assertThat(cluster.calls("stop")).isEqualTo(1);
        assertThat(cluster.calls("wipe")).isEqualTo(1);
        assertThat(cluster.listed("etcd-2").orElseThrow().id()).isNotEqualTo(memberId);
    }

    @Test
    void theReviveWaitIsBoundedByTheClockWhenEachLookAtAHungMemberTakesItsTimeout() throws Exception {
        // given a hung member whose status calls each take 200 ms (the wait's 10 looks would take 2 s)
        cluster.hang("etcd-2");
        cluster.hungStatusMillis = 200;

        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then the wait ends after about the 500 ms revive wait, not after its looks, and the replace follows
        assertThat(result.step(1).output()).contains("etcd-2 not back after").contains("does not answer");
        assertThat(cluster.calls("status-of-hung")).as("looks at the hung member during the wait").isLessThan(6);
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
    }

    @Test
    void aMemberWhoseDataVanishedSinceTheSurveyIsReplacedWithoutWaitingTheReviveWait() throws Exception {
        // given etcd-2 is down and, since the survey, its data directory is gone too
        cluster.processDied("etcd-2");
        cluster.dataLost("etcd-2");

        RecoveryPlan result = engine.run(revive("etcd-2"));

        // then it is not started on nothing, the wait ends at once, and it is replaced
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(0).state()).isEqualTo(SKIPPED);
        assertThat(result.step(0).output()).contains("is gone since the survey");
        assertThat(result.step(1).output()).contains("is not running");
        assertThat(result.step(4).state()).as("member-remove").isEqualTo(SUCCEEDED);
        assertThat(cluster.isRunning(cluster.member("etcd-2"))).isTrue();
    }
}
