package dev.cpr.notifier;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.cpr.architecture.LayerRules;

/** The build fails when a class breaks a layer rule (see {@link LayerRules}). */
@AnalyzeClasses(packages = "dev.cpr.notifier", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final LayerRules LAYERS = LayerRules.forService("dev.cpr.notifier");

    @ArchTest
    static void domainAppAndAdaptersAreKeptApart(JavaClasses classes) {
        LAYERS.check(classes);
    }
}
