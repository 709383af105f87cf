package dev.cpr.contracts.inventory;

import dev.cpr.contracts.recovery.PlanNames;
import java.util.Map;

/**
 * Per-cluster recovery modes by plan name. Plans not named take the safe default: replacing one
 * member runs by itself (quorum holds, one member at a time: {@code etcd-member-replace}, and
 * {@code bosh-cloud-check}, which is what BOSH's resurrector would do; {@code etcd-space-recover}, which loses no
 * key), anything that rebuilds the cluster or the director waits for a person. Starting members again on their own
 * intact data ({@code etcd-quorum-revive}) loses nothing and runs by itself too.
 */
public record RecoveryPolicy(Map<String, RecoveryMode> recovery) {

    public static final RecoveryPolicy DEFAULTS = new RecoveryPolicy(Map.of());

    public RecoveryMode modeFor(String plan) {
        if (recovery != null && recovery.containsKey(plan)) {
            return recovery.get(plan);
        }
        return PlanNames.ETCD_MEMBER_REPLACE.equals(plan) || PlanNames.BOSH_CLOUD_CHECK.equals(plan)
                || PlanNames.ETCD_SPACE_RECOVER.equals(plan)
                || PlanNames.ETCD_QUORUM_REVIVE.equals(plan)
                ? RecoveryMode.AUTO : RecoveryMode.APPROVAL;
    }
}
