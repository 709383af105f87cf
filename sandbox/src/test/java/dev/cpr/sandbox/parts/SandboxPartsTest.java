package dev.cpr.sandbox.parts;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The sandbox's own classes (not its tests) keep to its three parts. */
@AnalyzeClasses(packages = "dev.cpr.sandbox", importOptions = ImportOption.DoNotIncludeTests.class)
class SandboxPartsTest {

    @ArchTest
    static final ArchRule partsDependOnlyDownward = SandboxParts.dependOnlyDownward("dev.cpr.sandbox");

    @ArchTest
    static final ArchRule noCycleBetweenParts = SandboxParts.freeOfCyclesBetweenParts("dev.cpr.sandbox");
}
