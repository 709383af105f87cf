package dev.cpr.healthmonitor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.cpr.architecture.LayerRules;

/** The build fails when a class breaks a layer rule (see {@link LayerRules}). */
@AnalyzeClasses(packages = "dev.cpr.healthmonitor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // The incident's row carries its publish-at columns and IncidentEvents publishes from them: the outbox change
    // rewrites exactly these classes, so app keeps using them until it lands (then a port replaces them).
    private static final String OUTBOX_REWRITE = "rewritten by the transactional outbox change (event publishing)";

    private static final LayerRules LAYERS = LayerRules.forService("dev.cpr.healthmonitor")
            .allowingForNow("dev.cpr.healthmonitor.adapters.kafka.IncidentPublisher", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.healthmonitor.adapters.persistence.IncidentStore", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.healthmonitor.adapters.persistence.IncidentEntity", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.healthmonitor.adapters.persistence.IncidentState", OUTBOX_REWRITE);

    @ArchTest
    static void domainAppAndAdaptersAreKeptApart(JavaClasses classes) {
        LAYERS.check(classes);
    }
}
