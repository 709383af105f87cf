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
 * 3.5 in the e2e run with {@code -Dcpr.sandbox.etcd=3.5}): restored from the verified snapshot and then to the newest
 * revision of backup-service's change log, so not one key is lost; on 3.4 the cluster ends at exactly the revision it
 * had, on 3.5 with the revision bumped past everything a Kubernetes watch cache could hold.
 */
class QuorumLossScenarioIT {

    @Test
    void aLostQuorumIsRestoredFromTheSnapshotAndTheChangeLogWithoutLosingAKey() {
        World world = SharedWorld.get();

        ScenarioResult result = new QuorumLossScenario().run(world, line -> System.out.println("[e2e] " + line));

        System.out.println("[e2e] " + result.toJson());
        assertThat(result.get("error")).as("error").isNull();
        assertThat(result.ok()).as("ok").isTrue();
        assertThat(result.get("plan")).isEqualTo("etcd-quorum-restore");
        assertThat((Long) result.get("rpo_keys_lost")).as("keys lost").isZero();
        assertThat((Long) result.get("keys_after")).as("keys after the restore")
                .isEqualTo((Long) result.get("keys_before"))
                .isGreaterThan((Long) result.get("snapshot_keys"));
        long snapshotRevision = (Long) result.get("snapshot_revision");
        long revisionBefore = (Long) result.get("revision_before");
        long revisionAfter = (Long) result.get("revision_after");
        assertThat((Long) result.get("target_revision")).as("the plan's point: the change log's newest revision")
                .isEqualTo(revisionBefore).isGreaterThan(snapshotRevision);
        EtcdVersion version = EtcdVersion.parse((String) result.get("etcd_version"));
        if (EtcdTools.canBumpRevision(version)) {
            assertThat(revisionAfter).as("revision after the restore on etcd " + version)
                    .isGreaterThanOrEqualTo(snapshotRevision + EtcdTools.DEFAULT_BUMP_REVISION);
        } else {
            assertThat(revisionAfter).as("revision after the restore on etcd " + version).isEqualTo(revisionBefore);
        }
        assertThat(System.getProperty("cpr.sandbox.etcd", "3.4")).as("the release this run asked for")
                .isEqualTo(version.major() + "." + version.minor());
    }
}
