package dev.cpr.sandbox.parts;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;

/**
 * The sandbox's three parts and who may use whom, as rules over the packages under a root ({@code dev.cpr.sandbox}
 * for the module, a fixture root for the test that proves the rules bite).
 *
 * <p>The servers and the simulators keep their packages ({@code dev.cpr.sandbox.etcd}, {@code .bosh}, ...) rather
 * than moving under one prefix: every service's tests import them, so the parts are named here, package by package.
 * {@code testing} is the face the services' tests see: Quarkus test resources over servers and simulators.
 */
public final class SandboxParts {

    public static final String SERVERS = "servers";
    public static final String SIMULATORS = "simulators";
    public static final String TEST_RESOURCES = "test resources";
    public static final String DEMO = "demo";

    /** The real local servers: the root package ({@code Sandbox}) is the three started together. */
    static final List<String> SERVER_PACKAGES = List.of("", "support", "tls", "etcd", "kafka", "postgres", "prometheus",
            "kubespray", "oidc");
    /** The simulators and the HTTP helper they share; the BOSH director is backed by the real etcd members. */
    static final List<String> SIMULATOR_PACKAGES = List.of("simhttp", "bosh", "slack", "bbr");
    static final List<String> TEST_RESOURCE_PACKAGES = List.of("testing");
    static final List<String> DEMO_PACKAGES = List.of("demo");

    private SandboxParts() {
    }

    /**
     * Servers use nothing else of the sandbox; simulators only servers; test resources servers and simulators; the
     * demo anything; every class is in one of the parts.
     */
    public static ArchRule dependOnlyDownward(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer(SERVERS).definedBy(packages(root, SERVER_PACKAGES))
                .layer(SIMULATORS).definedBy(packages(root, SIMULATOR_PACKAGES))
                .layer(TEST_RESOURCES).definedBy(packages(root, TEST_RESOURCE_PACKAGES))
                .layer(DEMO).definedBy(packages(root, DEMO_PACKAGES))
                .whereLayer(DEMO).mayNotBeAccessedByAnyLayer()
                .whereLayer(TEST_RESOURCES).mayOnlyBeAccessedByLayers(DEMO)
                .whereLayer(SIMULATORS).mayOnlyBeAccessedByLayers(TEST_RESOURCES, DEMO)
                .whereLayer(SERVERS).mayOnlyBeAccessedByLayers(SIMULATORS, TEST_RESOURCES, DEMO)
                .ensureAllClassesAreContainedInArchitecture()
                .because("the sandbox is in three parts: servers, simulators over them, the demo over both");
    }

    /** No cycle between the parts, whatever the layer rule allows. */
    public static ArchRule freeOfCyclesBetweenParts(String root) {
        return slices().assignedFrom(partOf(root)).should().beFreeOfCycles();
    }

    /** The part a class belongs to, by its package under {@code root}; classes outside every part are ignored. */
    static SliceAssignment partOf(String root) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName();
                if (in(pkg, root, SERVER_PACKAGES)) {
                    return SliceIdentifier.of(SERVERS);
                }
                if (in(pkg, root, SIMULATOR_PACKAGES)) {
                    return SliceIdentifier.of(SIMULATORS);
                }
                if (in(pkg, root, TEST_RESOURCE_PACKAGES)) {
                    return SliceIdentifier.of(TEST_RESOURCES);
                }
                if (in(pkg, root, DEMO_PACKAGES)) {
                    return SliceIdentifier.of(DEMO);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the sandbox's parts under " + root;
            }
        };
    }

    private static boolean in(String pkg, String root, List<String> subPackages) {
        for (String sub : subPackages) {
            if (sub.isEmpty() ? pkg.equals(root) : pkg.equals(root + "." + sub) || pkg.startsWith(root + "." + sub + ".")) {
                return true;
            }
        }
        return false;
    }

    /** ArchUnit package identifiers: the root itself exactly, each sub-package with what is under it. */
    private static String[] packages(String root, List<String> subPackages) {
        return subPackages.stream().map(sub -> sub.isEmpty() ? root : root + "." + sub + "..")
                .toArray(String[]::new);
    }
}
