package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrArtifactRef;
import dev.cpr.restore.domain.bbr.InMemoryBbrArtifactCatalog;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {

    private static final Instant DETECTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:01Z");

    private static Planner planner(RecoveryMode mode) {
        RecoveryPolicy policy = mode == null ? null : new RecoveryPolicy(Map.of("etcd-member-replace", mode));
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", policy, "etcd-1", "etcd-2", "etcd-3").spec)));
    }

    private static IncidentOpened incident(String cluster, FailureKind failure, String... failed) {
        return new IncidentOpened("inc-1", cluster, failure, List.of(failed), List.of(), "summary", DETECTED, DETECTED);
    }

    @Test
    void anUnhealthyMemberWithQuorumGetsARunningMemberReplaceUnderTheDefaultPolicy() {
        Planner.Planning planning = planner(null).plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p1", NOW);

        assertThat(planning).isInstanceOf(Planner.Create.class);
        Planner.Create create = (Planner.Create) planning;
        assertThat(create.plan().plan()).isEqualTo("etcd-member-replace");
        assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2");
        assertThat(create.plan().incidentId()).isEqualTo("inc-1");
        assertThat(create.plan().detectedAt()).isEqualTo(DETECTED);
        assertThat(create.plan().sequence()).isEqualTo(1);
        assertThat(create.plan().steps()).extracting(PlanStep::state).containsOnly(StepState.PENDING);
        assertThat(create.waiting()).isEmpty();
    }

    @Test
    void theModeOfTheClusterPolicyDecidesTheFirstState() {
        assertThat(((Planner.Create) planner(RecoveryMode.APPROVAL)
                .plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW)).plan().state())
                .isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(((Planner.Create) planner(RecoveryMode.NOTIFY_ONLY)
                .plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW)).plan().state())
                .isEqualTo(PlanState.PROPOSED);
    }

    @Test
    void withSeveralFailedMembersOnlyTheFirstIsReplacedAndTheOthersWait() {
        Planner planner = new Planner(new Inventory(List.of(
                new FakeEtcdCluster("prod", (RecoveryPolicy) null, "etcd-1", "etcd-2", "etcd-3", "etcd-4", "etcd-5").spec)));

        Planner.Create create = (Planner.Create) planner.plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-4", "etcd-5"), "p", NOW);

        assertThat(create.plan().targetMember()).isEqualTo("etcd-4");
        assertThat(create.waiting()).containsExactly("etcd-5");
    }

    private static final SnapshotRef SNAPSHOT = new SnapshotRef("snap-9", "prod", 5000, 4200,
            Instant.parse("2026-01-01T09:00:00Z"), "ab".repeat(32), "none", 1234L);

    private static Planner withCatalog(InMemorySnapshotCatalog catalog, MeltdownGuard guard, String... members) {
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", (RecoveryPolicy) null, members).spec)),
                catalog, guard);
    }

    @Test
    void quorumLostProposesARestoreFromTheNewestVerifiedSnapshotAndWaitsForApproval() {
        InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0])
                .add(new SnapshotRef("older", "prod", 10, 10, Instant.parse("2025-12-31T00:00:00Z"), "cd".repeat(32),
                        "none", 1L), new byte[0]);

        Planner.Create create = (Planner.Create) withCatalog(catalog, MeltdownGuard.BOSH_DEFAULTS,
                "etcd-1", "etcd-2", "etcd-3").plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p", NOW);

        assertThat(create.plan().plan()).isEqualTo("etcd-quorum-restore");
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(create.plan().mode()).isEqualTo(RecoveryMode.APPROVAL);
        assertThat(create.plan().snapshot()).isEqualTo(SNAPSHOT);
        assertThat(create.plan().message()).contains("snap-9").contains("revision 5000").contains("4200 keys");
        assertThat(create.plan().steps()).extracting(PlanStep::name).containsExactly("fetch-snapshot",
                "fetch-change-log", "stop-members", "restore-members", "start-members", "verify-restore",
                "replay-changes", "verify-point", "restore-v2-keys", "post-restore-hooks");
        assertThat(create.plan().targetRevision()).as("no change log: the snapshot only").isNull();
        assertThat(create.plan().message()).contains("the snapshot only (no backup-service change log is configured)");
    }

    @Test
    void withoutAVerifiedSnapshotTheRestoreFailsAtProposalAndSaysWhy() {
        Planner.Create none = (Planner.Create) withCatalog(new InMemorySnapshotCatalog(),
                MeltdownGuard.BOSH_DEFAULTS, "etcd-1", "etcd-2", "etcd-3")
                .plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p", NOW);
        InMemorySnapshotCatalog down = new InMemorySnapshotCatalog();
        down.unreachable = true;
        Planner.Create unreachable = (Planner.Create) withCatalog(down, MeltdownGuard.BOSH_DEFAULTS,
                "etcd-1", "etcd-2", "etcd-3").plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p", NOW);

        assertThat(none.plan().state()).isEqualTo(PlanState.FAILED);
        assertThat(none.plan().snapshot()).isNull();
        assertThat(none.plan().message()).contains("backup-service has no verified snapshot of prod");
        assertThat(unreachable.plan().state()).isEqualTo(PlanState.FAILED);
        assertThat(unreachable.plan().message()).contains("backup-service is unreachable: connection refused");
    }

    @Test
    void theMeltdownGuardTurnsAnAutomaticMemberReplaceIntoANotifyOnlyProposal() {
        Planner guarded = withCatalog(new InMemorySnapshotCatalog(), new MeltdownGuard(2, 20),
                "etcd-1", "etcd-2", "etcd-3", "etcd-4", "etcd-5", "etcd-6", "etcd-7");

        Planner.Create meltdown = (Planner.Create) guarded.plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-6", "etcd-7"), "p", NOW);
        Planner.Create single = (Planner.Create) guarded.plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-7"), "p", NOW);

        assertThat(meltdown.plan().state()).isEqualTo(PlanState.PROPOSED);
        assertThat(meltdown.plan().mode()).isEqualTo(RecoveryMode.NOTIFY_ONLY);
        assertThat(meltdown.plan().message()).contains("meltdown guard: 2 of 7 members down at once (>= 2 and >= 20 %)");
        assertThat(single.plan().state()).isEqualTo(PlanState.RUNNING);
    }

    @Test
    void theMeltdownGuardNeedsBothTheCountAndThePercentage() {
        assertThat(MeltdownGuard.BOSH_DEFAULTS.isMeltdown(5, 25)).isTrue();
        assertThat(MeltdownGuard.BOSH_DEFAULTS.isMeltdown(5, 26)).isFalse();
        assertThat(MeltdownGuard.BOSH_DEFAULTS.isMeltdown(4, 5)).isFalse();
    }

    @Test
    void tooManyFailedMembersForAMemberReplaceMakeNoPlan() {
        Planner.Planning planning = planner(null).plan(
                incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-1", "etcd-2"), "p", NOW);

        assertThat(planning).isInstanceOf(Planner.Skip.class);
        assertThat(((Planner.Skip) planning).reason()).contains("quorum (2) does not hold");
    }

    private static Planner kubesprayPlanner() {
        ClusterSpec etcd = new FakeEtcdCluster("k8s", (RecoveryPolicy) null, "etcd1", "etcd2", "etcd3").spec;
        ClusterSpec kubespray = new ClusterSpec(etcd.id(), ClusterKind.KUBESPRAY, etcd.token(), null, etcd.members(), null);
        return new Planner(new Inventory(List.of(kubespray)));
    }

    @Test
    void aKubesprayClusterWithBrokenNodesGetsRecoverControlPlaneWaitingForApproval() {
        Planner.Planning planning = kubesprayPlanner().plan(incident("k8s", FailureKind.QUORUM_LOST, "etcd2", "etcd3"),
                "plan-k", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE);
            assertThat(create.plan().targetMember()).isEqualTo("etcd2,etcd3");
            assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
            assertThat(create.plan().steps()).extracting(s -> s.name())
                    .containsExactly("write-inventory", "run-recover-control-plane", "verify-cluster");
        });
    }

    @Test
    void aKubesprayQuorumLossFetchesTheNewestVerifiedSnapshotForThePlaybookAndWaitsEvenUnderAnAutoPolicy() {
        ClusterSpec etcd = new FakeEtcdCluster("k8s", (RecoveryPolicy) null, "etcd1", "etcd2", "etcd3").spec;
        ClusterSpec kubespray = new ClusterSpec(etcd.id(), ClusterKind.KUBESPRAY, etcd.token(), null, etcd.members(),
                new RecoveryPolicy(Map.of(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, RecoveryMode.AUTO)));
        SnapshotRef snapshot = new SnapshotRef("snap-k", "k8s", 42, 1000, Instant.parse("2026-01-01T09:00:00Z"),
                "cd".repeat(32), "none", 10L);
        Planner planner = new Planner(new Inventory(List.of(kubespray)),
                new InMemorySnapshotCatalog().add(snapshot, new byte[0]), MeltdownGuard.BOSH_DEFAULTS);

        Planner.Planning quorum = planner.plan(incident("k8s", FailureKind.QUORUM_LOST, "etcd2", "etcd3"), "plan-q", NOW);
        Planner.Planning member = planner.plan(incident("k8s", FailureKind.MEMBER_UNHEALTHY, "etcd3"), "plan-m", NOW);

        assertThat(quorum).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE);
            assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
            assertThat(create.plan().snapshot()).isEqualTo(snapshot);
            assertThat(create.plan().message()).contains("(approval)").contains("restores from snapshot snap-k");
            assertThat(create.plan().steps()).extracting(PlanStep::name).containsExactly("fetch-snapshot",
                    "write-inventory", "run-recover-control-plane", "verify-cluster");
            assertThat(create.plan().steps()).extracting(PlanStep::index).containsExactly(0, 1, 2, 3);
        });
        assertThat(member).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
            assertThat(create.plan().snapshot()).isNull();
            assertThat(create.plan().targetMember()).isEqualTo("etcd3");
        });
    }

    @Test
    void aKubesprayQuorumLossRunsFromTheNodeThatStillAnswersWithoutALeader() {
        IncidentOpened lost = new IncidentOpened("inc-q", "k8s", FailureKind.QUORUM_LOST, List.of("etcd1", "etcd2", "etcd3"),
                List.of(new MemberHealth("etcd1", "http://127.0.0.1:1", false, "health=false"),
                        new MemberHealth("etcd2", "http://127.0.0.1:2", false, "connection refused"),
                        new MemberHealth("etcd3", "http://127.0.0.1:3", false, "no answer within 1000 ms")),
                "summary", DETECTED, DETECTED);

        Planner.Planning planning = kubesprayPlanner().plan(lost, "plan-q", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class,
                create -> assertThat(create.plan().targetMember()).isEqualTo("etcd2,etcd3"));
    }

    @Test
    void aKubesprayQuorumLossWhereNoNodeAnsweredRunsFromTheOneThatOnlyTimedOutNotFromThoseThatRefused() {
        // as in a 2026-12-03 run: etcd1 lost both peers and was still electing when the confirming poll asked it
        IncidentOpened lost = new IncidentOpened("inc-q", "k8s", FailureKind.QUORUM_LOST, List.of("etcd1", "etcd2", "etcd3"),
                List.of(new MemberHealth("etcd1", "http://127.0.0.1:1", false, "no answer within 1000 ms"),
                        new MemberHealth("etcd2", "http://127.0.0.1:2", false, "connection refused"),
                        new MemberHealth("etcd3", "http://127.0.0.1:3", false, "connection refused")),
                "summary", DETECTED, DETECTED);

        Planner.Planning planning = kubesprayPlanner().plan(lost, "plan-q", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class,
                create -> assertThat(create.plan().targetMember()).isEqualTo("etcd2,etcd3"));
    }

    @Test
    void aKubesprayClusterWithNoHealthyNodeLeftIsLeftToAPerson() {
        Planner.Planning planning = kubesprayPlanner().plan(
                incident("k8s", FailureKind.QUORUM_LOST, "etcd1", "etcd2", "etcd3"), "plan-k", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class,
                skip -> assertThat(skip.reason()).contains("needs a healthy one to run from"));
    }

    @Test
    void anUnknownClusterOrMemberIsSkipped() {
        assertThat(planner(null).plan(incident("elsewhere", FailureKind.MEMBER_UNHEALTHY, "etcd-2"), "p", NOW))
                .isEqualTo(new Planner.Skip("cluster elsewhere is not in the inventory", false));
        assertThat(planner(null).plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-9"), "p", NOW))
                .isInstanceOf(Planner.Skip.class);
    }

    // ---------------------------------------------------------------- kind: bosh (seed 001)

    private static final String PKS = "service-instance_56c19cfc";

    /** A BOSH cluster of {@code n} masters, member etcd-i on instance master/uuid-i; the last one (if asked) local. */
    private static Planner boshPlanner(int n, RecoveryPolicy policy, boolean lastIsLocal, MeltdownGuard guard) {
        return boshPlanner(n, policy, lastIsLocal, guard, null);
    }

    private static Planner boshPlanner(int n, RecoveryPolicy policy, boolean lastIsLocal, MeltdownGuard guard,
            BbrArtifactCatalog artifacts) {
        List<MemberSpec> members = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            NodeAccess access = lastIsLocal && i == n
                    ? NodeAccess.local("etcd", null, null)
                    : new NodeAccess(NodeAccess.Type.BOSH, null,
                            null, null, null, null, null, PKS, "master/uuid-" + i);
            members.add(new MemberSpec("etcd-" + i, "http://10.0.0." + i + ":2379",
                    "http://10.0.0." + i + ":2380", "/var/vcap/store/etcd", access));
        }
        ClusterSpec cluster = new ClusterSpec("pks", ClusterKind.BOSH, null, null, members, policy,
                new BoshSpec("https://10.0.0.6:25555", PKS, "master", "ops_manager", null,
                        "BOSH_SECRET", null, null), null);
        return new Planner(new Inventory(List.of(cluster)), null, artifacts, guard);
    }

    private static Planner boshPlanner() {
        return boshPlanner(3, null, false, MeltdownGuard.BOSH_DEFAULTS);
    }

    @Test
    void aMissingVmOnABoshMasterGetsACloudCheckOfItsMemberRunningByDefault() {
        Planner.Planning planning = boshPlanner().plan(incident("pks", FailureKind.BOSH_VM_MISSING, "master/uuid-2"),
                "p1", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.BOSH_CLOUD_CHECK);
            assertThat(create.plan().targetMember()).as("the instance's member").isEqualTo("etcd-2");
            assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
            assertThat(create.plan().message()).contains("BOSH VM missing").contains("cloud-check etcd-2 (auto)");
            assertThat(create.plan().steps()).extracting(PlanStep::name).startsWith("scan", "resolve", "await-vm",
                    "safety-snapshot");
            assertThat(create.waiting()).isEmpty();
        });
    }

    @Test
    void unresponsiveAgentsAndFailingJobsMapEachInstanceToItsMemberAndTheOthersWait() {
        Planner planner = boshPlanner(5, null, false, MeltdownGuard.BOSH_DEFAULTS);

        Planner.Create unresponsive = (Planner.Create) planner.plan(
                incident("pks", FailureKind.BOSH_AGENT_UNRESPONSIVE, "master/uuid-4"), "p1", NOW);
        Planner.Create failing = (Planner.Create) planner.plan(
                incident("pks", FailureKind.BOSH_JOB_FAILING, "master/uuid-3", "master/uuid-5"), "p2", NOW);

        assertThat(unresponsive.plan().targetMember()).isEqualTo("etcd-4");
        assertThat(failing.plan().plan()).isEqualTo(PlanNames.BOSH_CLOUD_CHECK);
        assertThat(failing.plan().targetMember()).isEqualTo("etcd-3");
        assertThat(failing.waiting()).containsExactly("etcd-5");
    }

    @Test
    void anUnhealthyEtcdMemberOfABoshClusterGetsACloudCheckUnderItsPolicy() {
        Planner planner = boshPlanner(3, new RecoveryPolicy(Map.of(PlanNames.BOSH_CLOUD_CHECK, RecoveryMode.APPROVAL)),
                false, MeltdownGuard.BOSH_DEFAULTS);

        Planner.Create create = (Planner.Create) planner.plan(
                incident("pks", FailureKind.MEMBER_UNHEALTHY, "etcd-1"), "p1", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.BOSH_CLOUD_CHECK);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-1");
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
    }

    @Test
    void aMemberOfABoshClusterWithoutABoshInstanceIsReplacedThroughItsOwnAccess() {
        Planner.Create create = (Planner.Create) boshPlanner(3, null, true, MeltdownGuard.BOSH_DEFAULTS)
                .plan(incident("pks", FailureKind.MEMBER_UNHEALTHY, "etcd-3"), "p1", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_MEMBER_REPLACE);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-3");
    }

    @Test
    void anInstanceNoMemberRunsOnIsSkippedWithAWarningNamingIt() {
        Planner.Planning planning = boshPlanner().plan(
                incident("pks", FailureKind.BOSH_VM_MISSING, "master/uuid-2", "master/ffff-9"), "p1", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("master/ffff-9").doesNotContain("master/uuid-2")
                    .contains("a person must look");
        });
    }

    @Test
    void aBoshMeltdownIsNeverActedOnWhateverThePolicySays() {
        Planner planner = boshPlanner(3, new RecoveryPolicy(Map.of(PlanNames.BOSH_CLOUD_CHECK, RecoveryMode.AUTO,
                PlanNames.ETCD_MEMBER_REPLACE, RecoveryMode.AUTO)), false, MeltdownGuard.BOSH_DEFAULTS);

        Planner.Planning planning = planner.plan(incident("pks", FailureKind.BOSH_MELTDOWN, "master/uuid-1",
                "master/uuid-2"), "p1", NOW);
        Planner.Planning empty = planner.plan(incident("pks", FailureKind.BOSH_MELTDOWN), "p2", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("BOSH meltdown").contains("do not act").contains("master/uuid-2");
        });
        assertThat(empty).isInstanceOf(Planner.Skip.class);
    }

    @Test
    void theMeltdownGuardAndTheQuorumRuleHoldForCloudChecksAsForMemberReplaces() {
        Planner guarded = boshPlanner(7, null, false, new MeltdownGuard(2, 20));

        Planner.Create proposed = (Planner.Create) guarded.plan(incident("pks", FailureKind.BOSH_JOB_FAILING,
                "master/uuid-1", "master/uuid-2"), "p1", NOW);
        Planner.Planning noQuorum = boshPlanner().plan(incident("pks", FailureKind.BOSH_VM_MISSING, "master/uuid-1",
                "master/uuid-2"), "p2", NOW);

        assertThat(proposed.plan().plan()).isEqualTo(PlanNames.BOSH_CLOUD_CHECK);
        assertThat(proposed.plan().state()).isEqualTo(PlanState.PROPOSED);
        assertThat(proposed.plan().message()).contains("meltdown guard: 2 of 7 members down at once")
                .contains("cloud-checking etcd-1 is proposed");
        assertThat(noQuorum).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("quorum (2) does not hold, no cloud check");
        });
    }

    // ---------------------------------------------------------------- kind: bosh, bbr restores (seeds 000, 003)

    private static final BbrArtifactRef DEPLOYMENT_ARTIFACT =
            new BbrArtifactRef("bk-7", "pks", "bbr-deployment",
                    "/var/lib/cpr/bbr/pks/" + PKS + "_20260101T090000Z", Instant.parse("2026-01-01T09:00:00Z"));
    private static final BbrArtifactRef DIRECTOR_ARTIFACT =
            new BbrArtifactRef("bk-8", "pks", "bbr-director",
                    "/var/lib/cpr/bbr/pks/10.0.0.6_20260101T090000Z", Instant.parse("2026-01-01T09:00:00Z"));

    private static Planner bbrPlanner(InMemoryBbrArtifactCatalog artifacts) {
        return boshPlanner(3, null, false, MeltdownGuard.BOSH_DEFAULTS, artifacts);
    }

    @Test
    void aBoshQuorumLossProposesABbrDeploymentRestoreFromTheNewestVerifiedArtifactAndWaitsForApproval() {
        var artifacts = new InMemoryBbrArtifactCatalog().add(DEPLOYMENT_ARTIFACT)
                .add(DIRECTOR_ARTIFACT);

        Planner.Planning planning = bbrPlanner(artifacts).plan(incident("pks", FailureKind.QUORUM_LOST, "etcd-1",
                "etcd-2"), "p", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.BBR_DEPLOYMENT_RESTORE);
            assertThat(create.plan().targetMember()).isEqualTo("bk-7");
            assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
            assertThat(create.plan().steps()).extracting(s -> s.name())
                    .containsExactly("verify-artifact", "bbr-restore", "verify-restore");
            assertThat(create.plan().message()).contains("bk-7");
        });
    }

    @Test
    void aBoshQuorumLossWithoutAVerifiedArtifactFailsAtProposalAndSaysWhy() {
        var none = new InMemoryBbrArtifactCatalog().add(DIRECTOR_ARTIFACT);
        var down = new InMemoryBbrArtifactCatalog();
        down.down = true;

        Planner.Planning noArtifact = bbrPlanner(none).plan(incident("pks", FailureKind.QUORUM_LOST, "etcd-1",
                "etcd-2"), "p", NOW);
        Planner.Planning catalogDown = bbrPlanner(down).plan(incident("pks", FailureKind.QUORUM_LOST, "etcd-1",
                "etcd-2"), "p", NOW);

        assertThat(noArtifact).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().state()).isEqualTo(PlanState.FAILED);
            assertThat(create.plan().message()).contains("no verified bbr-deployment artifact of pks");
        });
        assertThat(catalogDown).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().state()).isEqualTo(PlanState.FAILED);
            assertThat(create.plan().message()).contains("backup-service is unreachable");
        });
    }

    @Test
    void aLostDirectorProposesABbrDirectorRestoreAndWithoutAnArtifactIsLeftToAPerson() {
        var artifacts = new InMemoryBbrArtifactCatalog().add(DIRECTOR_ARTIFACT);

        Planner.Planning restore = bbrPlanner(artifacts).plan(incident("pks", FailureKind.BOSH_DIRECTOR_UNREACHABLE),
                "p1", NOW);
        Planner.Planning nothing = bbrPlanner(new InMemoryBbrArtifactCatalog())
                .plan(incident("pks", FailureKind.BOSH_DIRECTOR_UNREACHABLE), "p2", NOW);

        assertThat(restore).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.BBR_DIRECTOR_RESTORE);
            assertThat(create.plan().targetMember()).isEqualTo("bk-8");
            assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        });
        assertThat(nothing).isInstanceOfSatisfying(Planner.Skip.class, skip -> {
            assertThat(skip.warning()).isTrue();
            assertThat(skip.reason()).contains("no verified bbr-director artifact of pks").contains("seed 003");
        });
    }

    @Test
    void aRebuiltDirectorThatDoesNotKnowTheDeploymentAlsoGetsABbrDirectorRestore() {
        Planner.Planning restore = bbrPlanner(new InMemoryBbrArtifactCatalog().add(DIRECTOR_ARTIFACT))
                .plan(incident("pks", FailureKind.BOSH_DEPLOYMENT_UNKNOWN), "p1", NOW);

        assertThat(restore).isInstanceOfSatisfying(Planner.Create.class, create -> {
            assertThat(create.plan().plan()).isEqualTo(PlanNames.BBR_DIRECTOR_RESTORE);
            assertThat(create.plan().message()).contains("does not know its deployment");
        });
    }

    @Test
    void aQuorumLossOfABoshClusterWithAMemberOutsideBoshIsRestoredFromAnEtcdSnapshotAsAnyCluster() {
        Planner.Planning quorum = boshPlanner(3, null, true, MeltdownGuard.BOSH_DEFAULTS,
                new InMemoryBbrArtifactCatalog().add(DEPLOYMENT_ARTIFACT))
                .plan(incident("pks", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p2", NOW);

        assertThat(quorum).isInstanceOfSatisfying(Planner.Create.class,
                create -> assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_QUORUM_RESTORE));
    }

    // quorum loss on a plain etcd cluster: the members are surveyed and the least destructive option is proposed

    private static Planner surveyed(List<MemberSurvey> survey, InMemorySnapshotCatalog catalog) {
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", (RecoveryPolicy) null, "etcd-1", "etcd-2",
                "etcd-3").spec)), catalog, null, MeltdownGuard.BOSH_DEFAULTS, cluster -> survey);
    }

    private static MemberSurvey survey(String name, boolean up, boolean data, Long revision) {
        return new MemberSurvey(name, up, data, data, revision, null, false, null);
    }

    @Test
    void quorumLostWithTwoMembersDownAndTheirDataIntactRevivesThemByItselfAndListsEveryOption() {
        Planner planner = surveyed(List.of(survey("etcd-1", true, true, 5_100L), survey("etcd-2", false, true, 5_100L),
                survey("etcd-3", false, true, 5_090L)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-2",
                "etcd-3"), "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_QUORUM_REVIVE);
        assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2,etcd-3");
        assertThat(create.plan().snapshot()).isNull();
        assertThat(create.plan().steps()).extracting(PlanStep::name)
                .containsExactly("start-members", "wait-quorum", "verify-cluster");
        assertThat(create.plan().options()).extracting(RecoveryOption::plan).containsExactly(
                PlanNames.ETCD_QUORUM_REVIVE, PlanNames.ETCD_SURVIVOR_REBUILD, PlanNames.ETCD_QUORUM_RESTORE);
        assertThat(create.plan().options().get(2).revisionsLost()).isEqualTo(100);
        assertThat(create.plan().options().get(2).secondsLost()).isEqualTo(3_601);
        assertThat(create.plan().message()).contains("1. etcd-quorum-revive (chosen): loses nothing");
    }

    @Test
    void quorumLostWithTwoMembersWipedProposesTheSurvivorRebuildForApproval() {
        Planner planner = surveyed(List.of(survey("etcd-1", false, false, null), survey("etcd-2", true, true, 5_100L),
                survey("etcd-3", false, false, null)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1",
                "etcd-3"), "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_SURVIVOR_REBUILD);
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2");
        assertThat(create.plan().steps().get(2).name()).isEqualTo("restore-survivor");
        assertThat(create.plan().options()).filteredOn(RecoveryOption::chosen).extracting(RecoveryOption::plan)
                .containsExactly(PlanNames.ETCD_SURVIVOR_REBUILD);
    }

    /**
     * CI21: a quorum loss that had already passed when its plan was made (the members of a point-in-time restore,
     * stopped for a second by cpr's own plan, were up again) was given a survivor rebuild to approve, which would have
     * wiped two healthy members.
     */
    @Test
    void quorumLostWhileAQuorumOfMembersNowFollowsALeaderGetsNoPlan() {
        Planner planner = surveyed(List.of(following("etcd-1", 5_100L), following("etcd-2", 5_100L),
                survey("etcd-3", true, true, 5_100L)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]));

        Planner.Planning planning = planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2",
                "etcd-3"), "p", NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Skip.class, skip -> assertThat(skip.reason())
                .isEqualTo("quorum is back on prod: etcd-1, etcd-2 answer following a leader (quorum 2)"));
    }

    @Test
    void quorumLostWithOneMemberFollowingALeaderIsStillPlanned() {
        Planner planner = surveyed(List.of(following("etcd-1", 5_100L), survey("etcd-2", false, true, 5_100L),
                survey("etcd-3", false, false, null)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]));

        Planner.Planning planning = planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-2", "etcd-3"), "p",
                NOW);

        assertThat(planning).isInstanceOfSatisfying(Planner.Create.class,
                create -> assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_QUORUM_REVIVE));
    }

    private static MemberSurvey following(String name, Long revision) {
        return new MemberSurvey(name, true, true, true, revision, revision + 5, true, "from its status");
    }

    @Test
    void quorumLostWithEveryMembersDataGoneProposesTheSnapshotRestoreWithWhatItLoses() {
        Planner planner = surveyed(List.of(survey("etcd-1", false, false, null), survey("etcd-2", false, false, null),
                survey("etcd-3", false, false, null)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1",
                "etcd-2", "etcd-3"), "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_QUORUM_RESTORE);
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(create.plan().snapshot()).isEqualTo(SNAPSHOT);
        assertThat(create.plan().options().get(2).chosen()).isTrue();
        assertThat(create.plan().message()).contains("3. etcd-quorum-restore (chosen): loses every write after "
                + "revision 5000");
    }

    // the newest point: a quorum restore goes on through the change log when it has anything after the snapshot

    /** backup-service's change log as a listing of segments; or unreachable. */
    private static final class ListedChangeLog implements ChangeLogSource {

        private final List<ReplayPlan.SegmentRef> segments = new ArrayList<>();
        boolean unreachable;

        ListedChangeLog segment(long first, long last) {
            segments.add(new ReplayPlan.SegmentRef(first, first, last, (int) (last - first + 1), "00".repeat(32)));
            return this;
        }

        @Override
        public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
            if (unreachable) {
                throw new ChangeLogUnavailable("the change log of cluster " + clusterId + ": connection refused");
            }
            return segments.stream().filter(s -> s.lastRevision() > after && s.firstRevision() <= upTo).toList();
        }

        @Override
        public byte[] segment(String clusterId, long id) {
            throw new AssertionError("the planner only lists the change log; the plan's steps fetch it");
        }

        @Override
        public java.util.Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
            throw new AssertionError("the planner does not resolve times");
        }
    }

    private static Planner withChangeLog(ChangeLogSource changeLog) {
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", (RecoveryPolicy) null, "etcd-1", "etcd-2",
                "etcd-3").spec)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]), null,
                MeltdownGuard.BOSH_DEFAULTS, null, changeLog);
    }

    private static RecoveryPlan quorumLost(Planner planner) {
        return ((Planner.Create) planner.plan(incident("prod", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2", "etcd-3"),
                "p", NOW)).plan();
    }

    @Test
    void aQuorumRestoreGoesOnToTheNewestDurableRevisionOfTheChangeLogAfterItsSnapshot() {
        ListedChangeLog changeLog = new ListedChangeLog().segment(4_990, 5_040).segment(5_041, 5_100);

        RecoveryPlan plan = quorumLost(withChangeLog(changeLog));

        assertThat(plan.plan()).isEqualTo(PlanNames.ETCD_QUORUM_RESTORE);
        assertThat(plan.state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(plan.snapshot()).isEqualTo(SNAPSHOT);
        assertThat(plan.targetRevision()).isEqualTo(5_100L);
        assertThat(plan.message()).contains("restore every member from snapshot snap-9")
                .contains("then replay the change log to its newest durable revision 5100 (100 revisions after the "
                        + "snapshot); not restored: writes after revision 5100 the change log had not made durable");
        assertThat(plan.steps()).filteredOn(step -> step.name().equals("fetch-change-log")).singleElement()
                .extracting(PlanStep::description).asString().contains("from snapshot snap-9 to revision 5100");
    }

    @Test
    void aGapInTheChangeLogStopsThePointBeforeItAndTheRecordNamesTheMissingRevisions() {
        ListedChangeLog changeLog = new ListedChangeLog().segment(5_001, 5_040).segment(5_061, 5_100);

        RecoveryPlan plan = quorumLost(withChangeLog(changeLog));

        assertThat(plan.targetRevision()).isEqualTo(5_040L);
        assertThat(plan.message()).contains("newest durable revision 5040 (40 revisions after the snapshot)")
                .contains("revisions 5041..5060 are in no segment of the change log");
    }

    @Test
    void withTheChangeLogOffUnreachableOrEmptyAfterTheSnapshotTheRestoreIsOfTheSnapshotOnlyAndSaysSo() {
        ListedChangeLog unreachable = new ListedChangeLog().segment(5_001, 5_100);
        unreachable.unreachable = true;

        RecoveryPlan none = quorumLost(withChangeLog(null));
        RecoveryPlan down = quorumLost(withChangeLog(unreachable));
        RecoveryPlan empty = quorumLost(withChangeLog(new ListedChangeLog().segment(4_900, 5_000)));
        RecoveryPlan broken = quorumLost(withChangeLog(new ListedChangeLog().segment(5_020, 5_100)));

        assertThat(List.of(none, down, empty, broken)).allSatisfy(plan -> {
            assertThat(plan.state()).as("never failed or held back for want of a change log")
                    .isEqualTo(PlanState.AWAITING_APPROVAL);
            assertThat(plan.snapshot()).isEqualTo(SNAPSHOT);
            assertThat(plan.targetRevision()).isNull();
            assertThat(plan.message()).contains("not restored: every write after revision 5000");
        });
        assertThat(none.message()).contains("the snapshot only (no backup-service change log is configured)");
        assertThat(down.message()).contains("the snapshot only (the change log could not be read: the change log of "
                + "cluster prod: connection refused)");
        assertThat(empty.message()).contains("the snapshot only (the change log holds no change after the snapshot's "
                + "revision 5000)");
        assertThat(broken.message()).contains("revisions 5001..5019 are in no segment");
    }

    @Test
    void aSurveyedQuorumLossWithEveryMembersDataGoneAlsoRestoresToTheNewestPoint() {
        Planner planner = new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", (RecoveryPolicy) null,
                "etcd-1", "etcd-2", "etcd-3").spec)), new InMemorySnapshotCatalog().add(SNAPSHOT, new byte[0]), null,
                MeltdownGuard.BOSH_DEFAULTS, cluster -> List.of(survey("etcd-1", false, false, null),
                        survey("etcd-2", false, false, null), survey("etcd-3", false, false, null)),
                new ListedChangeLog().segment(5_001, 5_100));

        RecoveryPlan plan = quorumLost(planner);

        assertThat(plan.plan()).isEqualTo(PlanNames.ETCD_QUORUM_RESTORE);
        assertThat(plan.targetRevision()).isEqualTo(5_100L);
        assertThat(plan.options()).filteredOn(RecoveryOption::chosen).extracting(RecoveryOption::plan)
                .containsExactly(PlanNames.ETCD_QUORUM_RESTORE);
        assertThat(plan.message()).contains("newest durable revision 5100");
    }

    // a failed member while quorum holds: surveyed first; revived, not replaced, while its data is intact

    private static Planner memberSurveyed(RecoveryPolicy policy, MemberSurvey failed) {
        return new Planner(new Inventory(List.of(new FakeEtcdCluster("prod", policy, "etcd-1", "etcd-2", "etcd-3")
                .spec)), new InMemorySnapshotCatalog(), null, MeltdownGuard.BOSH_DEFAULTS, cluster -> List.of(
                        survey("etcd-1", true, true, 5_100L), failed, survey("etcd-3", true, true, 5_100L)));
    }

    @Test
    void aFailedMemberWithItsDataIntactIsRevivedByItselfBeforeAnyReplace() {
        Planner planner = memberSurveyed(null, survey("etcd-2", false, true, null));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"),
                "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_MEMBER_REVIVE);
        assertThat(create.plan().state()).isEqualTo(PlanState.RUNNING);
        assertThat(create.plan().targetMember()).isEqualTo("etcd-2");
        assertThat(create.plan().steps()).extracting(PlanStep::name).startsWith("start-member-again",
                "wait-member-back", "safety-snapshot");
        assertThat(create.plan().message()).contains("revive etcd-2 (auto)").contains("etcd-2: down, data intact");
    }

    @Test
    void aFailedMemberWhoseDataIsGoneIsReplaced() {
        Planner planner = memberSurveyed(null, survey("etcd-2", false, false, null));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"),
                "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_MEMBER_REPLACE);
        assertThat(create.plan().steps().get(0).name()).isEqualTo("safety-snapshot");
    }

    @Test
    void aReviveNeverRunsWithLessApprovalThanTheReplaceItMayEndIn() {
        Planner planner = memberSurveyed(new RecoveryPolicy(Map.of("etcd-member-replace", RecoveryMode.APPROVAL)),
                survey("etcd-2", true, true, null));

        Planner.Create create = (Planner.Create) planner.plan(incident("prod", FailureKind.MEMBER_UNHEALTHY, "etcd-2"),
                "p", NOW);

        assertThat(create.plan().plan()).isEqualTo(PlanNames.ETCD_MEMBER_REVIVE);
        assertThat(create.plan().mode()).isEqualTo(RecoveryMode.APPROVAL);
        assertThat(create.plan().state()).isEqualTo(PlanState.AWAITING_APPROVAL);
    }

    @Test
    void aBbrDeploymentRestoreRecordsItsArtifactSoItsRpoIsMeasuredLikeAnEtcdRestore() {
        Planner.Create create = (Planner.Create) bbrPlanner(new InMemoryBbrArtifactCatalog().add(DEPLOYMENT_ARTIFACT))
                .plan(incident("pks", FailureKind.QUORUM_LOST, "etcd-1", "etcd-2"), "p", NOW);

        var done = create.plan().succeeded("restored", Instant.parse("2026-01-01T10:30:00Z"));

        assertThat(create.plan().snapshot().id()).isEqualTo("bk-7");
        assertThat(create.plan().snapshot().createdAt()).isEqualTo(DEPLOYMENT_ARTIFACT.createdAt());
        assertThat(done.rpoSeconds()).as("artifact taken 09:00, restored 10:30").isEqualTo(5_400);
    }
}
