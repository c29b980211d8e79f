package io.pgmigrate.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering docs/architecture.md states, held on the compiled main classes. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.pgmigrate");

    @Test
    void noPackageCycles() {
        slices().matching("io.pgmigrate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void nothingImportsTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.pgmigrate.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.pgmigrate.cli..").check(MAIN);
    }

    @Test
    void onlyTransportKnowsJschAndJdbc() {
        noClasses().that().resideOutsideOfPackage("io.pgmigrate.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("com.jcraft.jsch..", "org.postgresql..", "java.sql..")
                .check(MAIN);
    }

    @Test
    void strategiesDoNotReachIntoEachOther() {
        for (String layer : new String[] {"planner", "execute"}) {
            noClasses().that().resideInAPackage("io.pgmigrate." + layer + ".inplace..")
                    .should().dependOnClassesThat().resideInAPackage("io.pgmigrate." + layer + ".bluegreen..")
                    .allowEmptyShould(true).check(MAIN);
            noClasses().that().resideInAPackage("io.pgmigrate." + layer + ".bluegreen..")
                    .should().dependOnClassesThat().resideInAPackage("io.pgmigrate." + layer + ".inplace..")
                    .allowEmptyShould(true).check(MAIN);
        }
    }

    @Test
    void checksAndInspectionShareOnlyTheFacts() {
        noClasses().that().resideInAPackage("io.pgmigrate.check..")
                .should().dependOnClassesThat().resideInAPackage("io.pgmigrate.inspect..").check(MAIN);
    }
}
