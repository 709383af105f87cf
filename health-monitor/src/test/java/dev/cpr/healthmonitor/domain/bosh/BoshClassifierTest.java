package dev.cpr.healthmonitor.domain.bosh;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.kernel.MeltdownGuard;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoshClassifierTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final BoshClassifier classifier = new BoshClassifier("master", MeltdownGuard.BOSH_DEFAULTS);
    private final BoshClassifier smallDeployments = new BoshClassifier("master", new MeltdownGuard(2, 40));

    @Test
    void everyMasterRunningShowsNoFinding() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0));
        assertThat(verdict.instancesKnown()).isTrue();
        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.instances()).hasSize(3).allSatisfy(m -> assertThat(m.healthy()).isTrue());
    }

    @Test
    void aFailingJobIsJobFailingNamingTheInstanceAndItsFailingProcess() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, null, Bosh.failing(1)));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_JOB_FAILING);
        BoshFinding finding = verdict.finding(FailureKind.BOSH_JOB_FAILING).orElseThrow();
        assertThat(finding.instances()).containsExactly(Bosh.name(1));
        assertThat(finding.summary()).contains(Bosh.name(1) + " (1)", "job_state failing", "etcd failing",
                Bosh.DEPLOYMENT);
        assertThat(verdict.instances()).filteredOn(m -> !m.healthy()).singleElement()
                .satisfies(m -> assertThat(m.reason()).isEqualTo("job_state failing"));
    }

    @Test
    void anInstanceWithoutVmIsVmMissing() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, Bosh.noVm(0)));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_VM_MISSING);
        assertThat(verdict.finding(FailureKind.BOSH_VM_MISSING).orElseThrow().summary()).contains("no VM");
    }

    @Test
    void anUnresponsiveAgentIsAgentUnresponsive() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, null, null, Bosh.unresponsive(2)));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_AGENT_UNRESPONSIVE);
        assertThat(verdict.finding(FailureKind.BOSH_AGENT_UNRESPONSIVE).orElseThrow().instances())
                .containsExactly(Bosh.name(2));
    }

    @Test
    void differentFailuresOnDifferentMastersAreSeparateFindings() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, Bosh.noVm(0), Bosh.failing(1)));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_VM_MISSING, FailureKind.BOSH_JOB_FAILING);
    }

    @Test
    void aMasterStoppedOnPurposeIsNoFailure() {
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, Bosh.stopped(0)));
        assertThat(verdict.findings()).isEmpty();
    }

    @Test
    void anUnreachableDirectorIsDirectorUnreachableAndLeavesInstancesUnjudged() {
        BoshVerdict verdict = classifier.classify(Bosh.unreachable(T0));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_DIRECTOR_UNREACHABLE);
        assertThat(verdict.instancesKnown()).isFalse();
        assertThat(verdict.summary()).contains("https://10.0.0.6:25555", "connection refused");
    }

    @Test
    void instancesThatCouldNotBeReadAreNotJudged() {
        BoshVerdict verdict = classifier.classify(BoshObservation.instancesUnknown("c1", "u", "d", T0, "p-bosh",
                "GET /deployments/d/instances timed out"));
        assertThat(verdict.instancesKnown()).isFalse();
        assertThat(verdict.findings()).isEmpty();
    }

    @Test
    void aDirectorThatDoesNotKnowTheDeploymentIsDeploymentUnknownAndLeavesInstancesUnjudged() {
        BoshVerdict verdict = classifier.classify(BoshObservation.deploymentUnknown("c1", "https://10.0.0.6:25555",
                "service-instance_x", T0, "p-bosh", "director error 70000: Deployment 'service-instance_x' doesn't exist"));

        assertThat(verdict.instancesKnown()).isFalse();
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_DEPLOYMENT_UNKNOWN);
        assertThat(verdict.summary()).contains("does not know service-instance_x", "70000", "bbr director");
    }

    @Test
    void withBoshDefaultsTwoOfThreeMastersDownIsNoMeltdown() {
        // 2 of 4 instances is 50 %, but fewer than 5: a 3-master deployment never melts down with the defaults
        BoshVerdict verdict = classifier.classify(Bosh.seen(T0, Bosh.failing(0), Bosh.failing(1)));
        assertThat(verdict.meltdown()).isFalse();
        assertThat(verdict.finding(FailureKind.BOSH_JOB_FAILING).orElseThrow().instances()).hasSize(2);
    }

    @Test
    void aMeltdownReplacesThePerInstanceFindingsAndSaysDoNotAct() {
        BoshVerdict verdict = smallDeployments.classify(Bosh.seen(T0, Bosh.failing(0), Bosh.noVm(1)));
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_MELTDOWN);
        BoshFinding meltdown = verdict.finding(FailureKind.BOSH_MELTDOWN).orElseThrow();
        assertThat(meltdown.instances()).containsExactly(Bosh.name(0), Bosh.name(1));
        assertThat(meltdown.summary()).contains("2 of 4 instances", "do not act");
    }

    @Test
    void oneInstanceDownIsBelowTheLoweredMeltdownThreshold() {
        BoshVerdict verdict = smallDeployments.classify(Bosh.seen(T0, Bosh.failing(0)));
        assertThat(verdict.meltdown()).isFalse();
        assertThat(verdict.findings()).containsOnlyKeys(FailureKind.BOSH_JOB_FAILING);
    }

    @Test
    void theGuardNeedsBothTheCountAndThePercentage() {
        MeltdownGuard guard = MeltdownGuard.BOSH_DEFAULTS;
        assertThat(guard.isMeltdown(5, 25)).isTrue();   // 5 and 20 %
        assertThat(guard.isMeltdown(5, 26)).isFalse();  // 19.2 %
        assertThat(guard.isMeltdown(4, 4)).isFalse();   // 100 % but only 4
        assertThat(guard.isMeltdown(0, 0)).isFalse();
        assertThatThrownBy(() -> new MeltdownGuard(0, 20)).hasMessageContaining("min-instances");
        assertThatThrownBy(() -> new MeltdownGuard(5, 101)).hasMessageContaining("min-percent");
    }
}
