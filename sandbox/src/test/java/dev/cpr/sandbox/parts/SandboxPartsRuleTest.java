package dev.cpr.sandbox.parts;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The parts' rules catch what they are for, on fixtures laid out as the sandbox is. */
class SandboxPartsRuleTest {

    private static final String UPWARD = "dev.cpr.sandbox.parts.fixture.upward";
    private static final String DOWNWARD = "dev.cpr.sandbox.parts.fixture.downward";

    @Test
    void aServerThatUsesASimulatorBreaksTheLayerRule() {
        // given a server package that calls into a simulator package
        JavaClasses classes = new ClassFileImporter().importPackages(UPWARD);

        // when
        EvaluationResult result = SandboxParts.dependOnlyDownward(UPWARD).evaluate(classes);

        // then
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("ServerThatCallsASimulator")
                        .contains("SimulatorOverServer"));
    }

    @Test
    void aServerAndASimulatorUsingEachOtherAreACycleBetweenParts() {
        // given
        JavaClasses classes = new ClassFileImporter().importPackages(UPWARD);

        // when
        EvaluationResult result = SandboxParts.freeOfCyclesBetweenParts(UPWARD).evaluate(classes);

        // then
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains(SandboxParts.SERVERS)
                .contains(SandboxParts.SIMULATORS);
    }

    @Test
    void dependenciesThatOnlyPointDownwardPassBothRules() {
        // given servers <- simulators <- test resources, demo
        JavaClasses classes = new ClassFileImporter().importPackages(DOWNWARD);

        // when
        EvaluationResult layers = SandboxParts.dependOnlyDownward(DOWNWARD).evaluate(classes);
        EvaluationResult cycles = SandboxParts.freeOfCyclesBetweenParts(DOWNWARD).evaluate(classes);

        // then
        assertThat(classes).hasSize(4);
        assertThat(layers.hasViolation()).as(layers.getFailureReport().toString()).isFalse();
        assertThat(cycles.hasViolation()).as(cycles.getFailureReport().toString()).isFalse();
    }

    @Test
    void aPackageOutsideEveryPartIsReported() {
        // given a class in a package the parts do not name
        String root = "dev.cpr.sandbox.parts";
        JavaClasses classes = new ClassFileImporter().importPackages(DOWNWARD);

        // when the fixture is judged from one level up, its classes sit in "fixture", which is no part
        EvaluationResult result = SandboxParts.dependOnlyDownward(root).evaluate(classes);

        // then
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("LocalServer");
    }
}
