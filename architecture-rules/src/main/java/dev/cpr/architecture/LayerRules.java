package dev.cpr.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The layer rules of one service, whose classes live under a base package such as {@code dev.cpr.backup}:
 * <pre>
 *   adapters (rest, persistence, kafka, etcd, ...) ──calls──▶ app ──uses──▶ domain
 *                      └─────────── implements the ports of app / domain ──────┘
 * </pre>
 * <ul>
 *   <li>{@code domain} is plain Java: no app, adapters or config package, and no framework type (Quarkus, Jakarta,
 *   Hibernate, Kafka, Vert.x, reactive messaging, JDBC, MicroProfile, the platform library). Jackson stays allowed:
 *   it is a plain library, and the domains use it only for wire names ({@code @JsonValue}) and for Slack's Block
 *   Kit documents, which are JSON trees by definition.</li>
 *   <li>{@code app} uses no adapter class: it talks to ports (interfaces in app or domain) that adapters
 *   implement.</li>
 *   <li>HTTP problems ({@code ProblemException}) are thrown only by REST resources (and the console's web pages):
 *   an app class or a Kafka consumer throws its own exception, and the resource says which status it means.</li>
 *   <li>No cycle between the top-level slices ({@code domain}, {@code app}, {@code adapters}, {@code config}).</li>
 * </ul>
 * A dependency the service cannot drop yet is named with {@link #allowingForNow(String, String)}, with the reason, so
 * it shows in the test that applies the rules and in review rather than in a frozen store nobody reads.
 */
public final class LayerRules {

    static final String PROBLEM_EXCEPTION = "dev.cpr.platform.problem.ProblemException";

    private static final String[] FRAMEWORK_PACKAGES = {
            "io.quarkus..", "jakarta..", "javax.persistence..", "javax.ws.rs..", "org.hibernate..",
            "org.apache.kafka..", "io.vertx..", "io.smallrye.reactive.messaging..", "java.sql..", "javax.sql..",
            "org.eclipse.microprofile..", "io.etcd..", "software.amazon..", "com.slack.api..", "dev.cpr.platform.." };

    private final String base;
    private final Map<String, String> allowedForNow;

    private LayerRules(String base, Map<String, String> allowedForNow) {
        this.base = Objects.requireNonNull(base);
        this.allowedForNow = Map.copyOf(allowedForNow);
    }

    /** The rules for the service whose classes live under {@code basePackage}, e.g. {@code dev.cpr.backup}. */
    public static LayerRules forService(String basePackage) {
        return new LayerRules(basePackage, Map.of());
    }

    /**
     * The same rules, except that app may still use the adapter class {@code adapterClass} (fully qualified) and
     * the slice-cycle check ignores dependencies on it: for a class another change owns and is rewriting.
     */
    public LayerRules allowingForNow(String adapterClass, String why) {
        if (why == null || why.isBlank()) {
            throw new IllegalArgumentException("say why " + adapterClass + " is allowed for now");
        }
        var allowed = new java.util.HashMap<>(allowedForNow);
        allowed.put(adapterClass, why);
        return new LayerRules(base, allowed);
    }

    public List<ArchRule> all() {
        return List.of(domainIsPlainJava(), appUsesNoAdapter(), problemsOnlyInRestResources(), noCyclesBetweenLayers());
    }

    public ArchRule domainIsPlainJava() {
        List<String> forbidden = new ArrayList<>(List.of(base + ".app..", base + ".adapters..", base + ".config.."));
        forbidden.addAll(List.of(FRAMEWORK_PACKAGES));
        return noClasses().that().resideInAPackage(base + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the domain is plain Java, unit-tested without a framework");
    }

    public ArchRule appUsesNoAdapter() {
        return noClasses().that().resideInAPackage(base + ".app..")
                .should().dependOnClassesThat(adapterClassesNotAllowedForNow())
                .because("app talks to ports that adapters implement, so an adapter can change without app");
    }

    public ArchRule problemsOnlyInRestResources() {
        return noClasses().that().resideInAPackage(base + "..")
                .and().resideOutsideOfPackages(base + ".adapters.rest..", base + ".adapters.web..")
                .should().dependOnClassesThat().haveFullyQualifiedName(PROBLEM_EXCEPTION)
                .because("which HTTP status a failure means is the REST resource's decision");
    }

    public ArchRule noCyclesBetweenLayers() {
        return slices().matching(base + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.alwaysTrue(), allowedForNowClasses());
    }

    /** Evaluates every rule and fails once, with every violation of every rule. */
    public void check(JavaClasses classes) {
        String report = all().stream()
                .map(rule -> rule.evaluate(classes))
                .filter(EvaluationResult::hasViolation)
                .map(result -> result.getFailureReport().toString())
                .collect(Collectors.joining("\n\n"));
        if (!report.isEmpty()) {
            throw new AssertionError(report);
        }
    }

    public Map<String, String> allowedForNow() {
        return allowedForNow;
    }

    private DescribedPredicate<JavaClass> adapterClassesNotAllowedForNow() {
        String adapters = base + ".adapters.";
        return DescribedPredicate.describe("are adapter classes (in " + base + ".adapters..)",
                (JavaClass c) -> c.getPackageName().startsWith(adapters) || c.getPackageName().equals(base + ".adapters"))
                .and(DescribedPredicate.not(allowedForNowClasses()));
    }

    private DescribedPredicate<JavaClass> allowedForNowClasses() {
        return DescribedPredicate.describe("allowed for now " + allowedForNow.keySet(),
                (JavaClass c) -> allowedForNow.containsKey(outermost(c).getName()));
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
