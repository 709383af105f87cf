package dev.cpr.restore;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.cpr.architecture.LayerRules;

/** The build fails when a class breaks a layer rule (see {@link LayerRules}). */
@AnalyzeClasses(packages = "dev.cpr.restore", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // No exceptions: the plan store, its leases and the approval audit are reached through app ports (PlanRecords,
    // ApprovalLog) since the transactional outbox put each event in its state change's transaction.
    private static final LayerRules LAYERS = LayerRules.forService("dev.cpr.restore");

    @ArchTest
    static void domainAppAndAdaptersAreKeptApart(JavaClasses classes) {
        LAYERS.check(classes);
    }
}
