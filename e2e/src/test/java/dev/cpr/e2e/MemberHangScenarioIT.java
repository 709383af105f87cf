package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.MemberHangScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/** A hung member (SIGSTOP), as `./cpr demo --scenario member-hang` runs it. */
class MemberHangScenarioIT {

    @Test
    void aHungMemberIsGivenTheReviveWaitAndThenReplacedWithoutLosingAKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new MemberHangScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-member-revive");
        assertThat(result.get("replaced")).isEqualTo(true);
        assertThat((String) result.get("wait_member_back")).contains("not back after");
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("keys_before"));
        assertThat((Long) result.get("detected_ms")).isPositive().isLessThan(10_000L);
    }
}
