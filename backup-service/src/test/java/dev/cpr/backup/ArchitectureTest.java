package dev.cpr.backup;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.cpr.architecture.LayerRules;

/** The build fails when a class breaks a layer rule (see {@link LayerRules}). */
@AnalyzeClasses(packages = "dev.cpr.backup", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    // Event publishing is being rewritten (CloudEvents SDK and a transactional outbox) by a parallel change that
    // owns these two classes: app keeps calling them until it lands, and then calls its outbox port instead.
    private static final String OUTBOX_REWRITE = "rewritten by the transactional outbox change (event publishing)";

    private static final LayerRules LAYERS = LayerRules.forService("dev.cpr.backup")
            .allowingForNow("dev.cpr.backup.adapters.kafka.BackupEvents", OUTBOX_REWRITE)
            .allowingForNow("dev.cpr.backup.adapters.kafka.IncidentEvents", OUTBOX_REWRITE);

    @ArchTest
    static void domainAppAndAdaptersAreKeptApart(JavaClasses classes) {
        LAYERS.check(classes);
    }
}
