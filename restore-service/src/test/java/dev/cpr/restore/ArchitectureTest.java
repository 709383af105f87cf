package dev.cpr.restore;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.cpr.architecture.LayerRules;

/** The build fails when a class breaks a layer rule (see {@link LayerRules}). */
@AnalyzeClasses(packages = "dev.cpr.restore", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // The plan store's creation, claims, leases and cancel requests are reached through the Panache repository, and
    // the approval's event through its Kafka publisher: the transactional outbox change rewrites exactly these (the
    // plan's event row in the same transaction as its transition), so app keeps them until it lands and a port
    // replaces them. The approval audit moves behind a port with them (as notifier's ApprovalAuditLog).
    private static final String OUTBOX_REWRITE = "rewritten by the transactional outbox change (plan store and events)";

    private static final LayerRules LAYERS = LayerRules.forService("dev.cpr.restore")
            .allowingForNow("dev.cpr.restore.adapters.persistence.PanachePlanStore", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.restore.adapters.persistence.PlanRepository", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.restore.adapters.persistence.ApprovalAuditRepository", OUTBOX_REWRITE);

    @ArchTest
    static void domainAppAndAdaptersAreKeptApart(JavaClasses classes) {
        LAYERS.check(classes);
    }
}
