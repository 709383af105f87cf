package dev.cpr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.demo.scenario.QuorumLossScenario;
import dev.cpr.sandbox.demo.scenario.ScenarioResult;
import org.junit.jupiter.api.Test;

/**
 * Seed 000, as {@code ./cpr demo --scenario quorum-loss} runs it, on whichever etcd the world runs (3.4 by default,
 * 3.5 in the e2e run with {@code -Dcpr.sandbox.etcd=3.5}): restored from the verified snapshot, and on 3.5 with the
 * revision bumped past everything a Kubernetes watch cache could hold.
 */
class QuorumLossScenarioIT {

    @Test
    void aLostQuorumIsRestoredFromTheVerifiedSnapshotWithTheRevisionBumpedWhereTheReleaseCan() {
        World world = SharedWorld.get();

        ScenarioResult result = new QuorumLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat((Long) result.get("keys_after")).isEqualTo((Long) result.get("snapshot_keys"));
        long snapshotRevision = (Long) result.get("snapshot_revision");
        long revisionAfter = (Long) result.get("revision_after");
        EtcdVersion version = EtcdVersion.parse((String) result.get("etcd_version"));
        if (EtcdTools.canBumpRevision(version)) {
            assertThat(revisionAfter).as("revision after the restore on etcd " + version)
                    .isGreaterThanOrEqualTo(snapshotRevision + EtcdTools.DEFAULT_BUMP_REVISION);
        } else {
            assertThat(revisionAfter).as("revision after the restore on etcd " + version)
                    .isBetween(snapshotRevision, snapshotRevision + EtcdTools.DEFAULT_BUMP_REVISION - 1);
        }
        assertThat(System.getProperty("cpr.sandbox.etcd", "3.4")).as("the release this run asked for")
                .isEqualTo(version.major() + "." + version.minor());
    }
}
