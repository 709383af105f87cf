package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.FailoverScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #15's failover, as `./cpr demo --scenario failover` runs it: two replicas of every service, a member lost,
 * and while its plan runs one replica of each service killed with {@code kill -9}. The cluster heals all the same:
 * one plan, no step done before the kill run again, one Slack thread with no message in it twice, nothing
 * dead-lettered, the killed health-monitor's clusters watched by the other within 10 s.
 */
class FailoverScenarioIT {

    /** Safety net: the scenario leaves one replica of each running itself; this holds even if it threw. */
    @AfterEach
    void leaveOneReplicaOfEach() throws Exception {
        World world = SharedWorld.get();
        for (CprService service : CprService.values()) {
            world.resetToDefaults(service);
        }
        world.stopSecondReplicas();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMemberLossRecoveredWhileOneReplicaOfEveryServiceIsKilledHealsOnceWithOneSlackThread() {
        World world = SharedWorld.get();

        ScenarioResult result = new FailoverScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        // one replica of each killed: the plan's runner, the cluster's watcher, a notifier and a backup-service
        assertThat((List<?>) result.get("killed")).hasSize(4);
        // the killed health-monitor's clusters are the survivor's within 10 s
        assertThat(result.get("takeover_ms")).as("takeover_ms").isNotNull();
        assertThat((Long) result.get("takeover_ms")).isLessThanOrEqualTo(10_000L);
        // Prometheus scrapes both replicas of every service: all up before the kill; after it, the killed ones down and
        // the others up
        Map<String, Object> upBefore = (Map<String, Object>) result.get("prometheus_targets_up_before");
        assertThat(upBefore).hasSize(2 * CprService.values().length).allSatisfy((replica, up) ->
                assertThat(up).as(replica).isEqualTo("1"));
        Map<String, Object> upAfter = (Map<String, Object>) result.get("prometheus_targets_up_after");
        assertThat(upAfter).containsOnlyKeys(upBefore.keySet()).allSatisfy((replica, up) ->
                assertThat(up).as(replica).isEqualTo(((List<?>) result.get("killed")).contains(replica) ? "0" : "1"));
        // and the cluster's gauges come from exactly one health-monitor replica, the watching one, before and after
        // the takeover
        Map<String, List<String>> sources = (Map<String, List<String>>) result.get("cluster_gauge_sources");
        assertThat(sources.get("before")).hasSize(1);
        assertThat(sources.get("after")).hasSize(1).doesNotContainAnyElementsOf(sources.get("before"));
        assertThat(sources.get("before")).isSubsetOf((List<String>) result.get("killed"));
        // the same plan finishes, run on by the surviving restore-service, no step done before the kill run again
        assertThat(result.get("plan_state")).as((String) result.get("plan_message")).isEqualTo("SUCCEEDED");
        assertThat(result.get("run_by_the_survivor")).as("runner at the end " + result.get("runner_at_end"))
                .isEqualTo(true);
        assertThat((List<?>) result.get("steps")).isNotEmpty()
                .allSatisfy(step -> assertThat((String) step).matches(".*:(SUCCEEDED|SKIPPED):[012]"));
        assertThat((List<?>) result.get("steps_run_twice")).as("steps done before the kill, run again").isEmpty();
        // the only plan made for the incident, its final update on Kafka
        assertThat(result.get("plans_for_cluster")).isEqualTo(1);
        assertThat(result.get("final_update_seen")).isEqualTo(true);
        // one Slack thread, the plan's progress and the resolution once each, no notifier message posted twice
        assertThat(result.get("slack_threads")).isEqualTo(1);
        assertThat((List<Object>) result.get("slack_replies")).containsExactlyInAnyOrder("progress", "resolution");
        assertThat((Integer) result.get("slack_posts_with_message_id")).isPositive();
        assertThat(result.get("slack_duplicates")).isEqualTo(0);
        // no consumer gave up on an event
        assertThat((List<?>) result.get("dead_letters")).isEmpty();
        assertThat(result.get("dead_lettered")).isEqualTo(0);
        // the cluster whole again, no key lost
        assertThat(result.get("member_healthy")).isEqualTo(true);
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"));
        assertThat(result.ok()).as("ok").isTrue();
    }
}
