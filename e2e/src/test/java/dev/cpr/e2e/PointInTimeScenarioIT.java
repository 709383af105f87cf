package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.PointInTimeScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/**
 * Issue #14, as {@code ./cpr demo --scenario point-in-time} runs it: a prefix deleted by accident at revision T while
 * writes go on, undone by {@code etcd-point-in-time-restore} to T-1 over REST with an approval.
 */
class PointInTimeScenarioIT {

    @Test
    void anAccidentalDeleteIsUndoneByARestoreToJustBeforeItWithEveryKeyAndValueBack() {
        World world = SharedWorld.get();

        ScenarioResult result = new PointInTimeScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-point-in-time-restore");
        assertThat(result.get("plan_state")).isEqualTo("SUCCEEDED");
        long deleted = ((Number) result.get("deleted_keys")).longValue();
        assertThat(deleted).as("keys the accident deleted").isEqualTo(2_000);
        assertThat(((Number) result.get("restored_keys")).longValue()).as("deleted keys back").isEqualTo(deleted);
        assertThat(((Number) result.get("values_matching")).longValue()).as("with the value they had before T")
                .isEqualTo(deleted);
        assertThat(result.get("revision_reached")).as("the target revision reached exactly").isEqualTo(true);
        assertThat(((Number) result.get("writes_after_delete_present")).longValue()).as("writes after T").isZero();
        assertThat(((Number) result.get("writes_before_delete_present")).longValue()).as("writes before T")
                .isEqualTo(((Number) result.get("writes_before_delete")).longValue()).isPositive();
    }
}
