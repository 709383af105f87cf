package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.RehearsalScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/**
 * Issue #14, as {@code ./cpr demo --scenario rehearsal} runs it: the packaged restore-service rehearses the world
 * cluster's quorum restore (its verified snapshot, then its change log to the newest point) on a scratch cluster, over
 * mutual TLS as the world's members run, and reports the RTO; the real cluster is left as it was.
 */
class RehearsalScenarioIT {

    @Test
    void aRehearsalRestoresTheNewestPointOnAScratchClusterReportsItsRtoAndLeavesTheRealClusterAlone() {
        World world = SharedWorld.get();

        ScenarioResult result = new RehearsalScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("verdict")).isEqualTo("PASSED");
        assertThat(((Number) result.get("rto_ms")).longValue()).as("RTO").isPositive();
        assertThat(result.get("target_revision")).as("the newest point").isEqualTo(result.get("revision_before"));
        assertThat(result.get("real_cluster_untouched")).isEqualTo(true);
        assertThat(((Number) result.get("events_about_it")).longValue()).as("incidents or recovery events").isZero();
    }
}
