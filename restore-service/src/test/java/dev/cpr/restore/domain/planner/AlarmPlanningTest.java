package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** Alarms are answered by what loses nothing: never a restore, even with a verified snapshot at hand. */
class AlarmPlanningTest {

    private static final Instant DETECTED = Instant.parse("2026-12-02T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:01Z");
    private static final SnapshotRef SNAPSHOT = new SnapshotRef("snap-9", "prod", 5000, 4200,
            Instant.parse("2026-12-02T07:00:00Z"), "ab".repeat(32), "none", 1234L);

    private static Planner planner(RecoveryPolicy policy) {
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", policy, "etcd-1", "etcd-2", "etcd-3").spec)),
                new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]), MeltdownGuard.BOSH_DEFAULTS);
    }

    private static IncidentOpened incident(FailureKind failure, String... members) {
        return new IncidentOpened("inc-1", "prod", failure, List.of(members), List.of(), "prod: " + failure, DETECTED,
                DETECTED);
    }

    @Test
    void noSpaceGetsARunningSpaceRecoveryNeverARestore() {
        Planner.Planning planning = planner(null).plan(incident(FailureKind.SPACE_EXHAUSTED, "etcd-1", "etcd-2"), "p",
                NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_SPACE_RECOVER);
            assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
            assertThat(create.plan().snapshot()).isNull();
            assertThat(create.plan().message()).contains("NOSPACE on prod (etcd-1, etcd-2)", "no key is lost", "(auto)");
            assertThat(create.plan().steps()).extracting(PlanStep::name).containsExactly("record-sizes", "compact",
                    "defragment-1", "defragment-2", "defragment-3", "check-quota", "disarm-alarm", "verify-write",
                    "verify-shrunk");
            assertThat(create.plan().steps()).noneMatch(PlanStep::destructive);
        });
    }

    @Test
    void thePolicyCanMakeTheSpaceRecoveryWaitForAPerson() {
        Planner.Create create = (Planner.Create) planner(new RecoveryPolicy(Map.of(PlanNames.ETCD_SPACE_RECOVER,
                RecoveryMode.APPROVAL))).plan(incident(FailureKind.SPACE_EXHAUSTED, "etcd-1"), "p", NOW);

        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
    }

    @Test
    void aDatabaseNearItsQuotaIsAWarningWithoutAPlan() {
        Planner.Planning planning = planner(null).plan(incident(FailureKind.SPACE_LOW, "etcd-1"), "p", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("near its quota");
        });
    }

    @Test
    void aCertificateEndingSoonIsAWarningWithoutAPlanNotAMemberReplace() {
        // when
        Planner.Planning planning = planner(null).plan(incident(FailureKind.CERTIFICATE_EXPIRING, "etcd-1"), "p", NOW);
        // then
        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("TLS certificate of etcd-1", "renew it; no plan");
        });
    }

    @Test
    void aCorruptMemberIsReplacedOnlyAfterAPersonApprovesEvenUnderAnAutoPolicy() {
        Planner.Create create = (Planner.Create) planner(null).plan(incident(FailureKind.DATA_CORRUPT, "etcd-2"), "p",
                NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_MEMBER_REPLACE);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2");
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(create.plan().message()).contains("data corrupt", "replace etcd-2");
    }

    @Test
    void corruptionWithoutANamedMemberOrOnTooManyMembersIsLeftToAPerson() {
        assertThat(planner(null).plan(incident(FailureKind.DATA_CORRUPT), "p", NOW))
                .isInstanceOfSatisfying(Planner.Skip.class, skip -> assertThat(skip.warning()).isTrue());
        assertThat(planner(null).plan(incident(FailureKind.DATA_CORRUPT, "etcd-1", "etcd-2"), "p", NOW))
                .isInstanceOfSatisfying(Planner.Skip.class, skip -> assertThat(skip.reason()).contains("2 of 3"));
    }
}
