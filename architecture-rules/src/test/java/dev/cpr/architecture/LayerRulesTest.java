package dev.cpr.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class LayerRulesTest {

    private static final String BAD = "dev.cpr.architecture.fixtures.badlayers";
    private static final String GOOD = "dev.cpr.architecture.fixtures.goodlayers";
    private static final String BAD_ENTITY = BAD + ".adapters.persistence.OrderEntity";

    private final JavaClasses badClasses = new ClassFileImporter().importPackages(BAD);
    private final JavaClasses goodClasses = new ClassFileImporter().importPackages(GOOD);

    @Test
    void aDomainClassUsingAnAdapterBreaksTheDomainRule() {
        EvaluationResult result = LayerRules.forService(BAD).domainIsPlainJava().evaluate(badClasses);

        assertThat(violations(result)).anySatisfy(line -> assertThat(line)
                .contains(BAD + ".domain.Order").contains(BAD_ENTITY));
    }

    @Test
    void anAppClassUsingAnAdapterBreaksTheAppRule() {
        EvaluationResult result = LayerRules.forService(BAD).appUsesNoAdapter().evaluate(badClasses);

        assertThat(violations(result)).anySatisfy(line -> assertThat(line)
                .contains(BAD + ".app.Orders").contains(BAD_ENTITY));
    }

    @Test
    void anAppClassThrowingAnHttpProblemBreaksTheProblemRule() {
        EvaluationResult result = LayerRules.forService(BAD).problemsOnlyInRestResources().evaluate(badClasses);

        assertThat(violations(result))
                .anySatisfy(line -> assertThat(line).contains(BAD + ".app.Orders").contains("ProblemException"))
                .noneSatisfy(line -> assertThat(line).startsWith("Method <" + BAD + ".adapters.rest"));
    }

    @Test
    void appAndAdaptersUsingEachOtherAreACycle() {
        EvaluationResult result = LayerRules.forService(BAD).noCyclesBetweenLayers().evaluate(badClasses);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected").contains("app").contains("adapters");
    }

    @Test
    void checkFailsOnceNamingEveryBrokenRule() {
        assertThatThrownBy(() -> LayerRules.forService(BAD).check(badClasses))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the domain is plain Java")
                .hasMessageContaining("app talks to ports")
                .hasMessageContaining("HTTP status")
                .hasMessageContaining("Cycle detected");
    }

    @Test
    void anAdapterAllowedForNowNoLongerBreaksTheAppRuleButStillBreaksTheDomainRule() {
        LayerRules rules = LayerRules.forService(BAD).allowingForNow(BAD_ENTITY, "being rewritten elsewhere");

        assertThat(rules.appUsesNoAdapter().evaluate(badClasses).hasViolation()).isFalse();
        assertThat(rules.noCyclesBetweenLayers().evaluate(badClasses).hasViolation()).isFalse();
        assertThat(rules.domainIsPlainJava().evaluate(badClasses).hasViolation()).isTrue();
    }

    @Test
    void allowingAnAdapterForNowNeedsAReason() {
        assertThatThrownBy(() -> LayerRules.forService(BAD).allowingForNow(BAD_ENTITY, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BAD_ENTITY);
    }

    @Test
    void portsBetweenTheLayersAndProblemsInTheResourceBreakNoRule() {
        for (ArchRule rule : LayerRules.forService(GOOD).all()) {
            assertThat(rule.evaluate(goodClasses).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }

    private static java.util.List<String> violations(EvaluationResult result) {
        return result.getFailureReport().getDetails();
    }
}
