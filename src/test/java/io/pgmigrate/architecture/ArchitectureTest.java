package io.pgmigrate.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering docs/architecture.md states, held on the compiled main classes. */
class ArchitectureTest {
    /** The "may use" column of docs/architecture.md's table: the top-level packages each one may depend on. */
    private static final java.util.Map<String, java.util.Set<String>> MAY_USE = java.util.Map.ofEntries(
            java.util.Map.entry("core", java.util.Set.of()),
            java.util.Map.entry("pg", java.util.Set.of()),
            java.util.Map.entry("facts", java.util.Set.of("pg")),
            java.util.Map.entry("plan", java.util.Set.of("core", "pg")),
            java.util.Map.entry("inventory", java.util.Set.of("core", "plan")),
            java.util.Map.entry("journal", java.util.Set.of("core", "pg", "plan")),
            java.util.Map.entry("transport", java.util.Set.of("core", "inventory")),
            java.util.Map.entry("check", java.util.Set.of("core", "facts", "inventory", "pg", "plan")),
            java.util.Map.entry("inspect", java.util.Set.of("check", "core", "facts", "inventory", "pg", "plan",
                    "transport")),
            java.util.Map.entry("planner", java.util.Set.of("check", "core", "facts", "inventory", "pg", "plan")),
            java.util.Map.entry("rehearsal", java.util.Set.of("core", "facts", "inspect", "inventory", "pg", "planner",
                    "transport")),
            java.util.Map.entry("replication", java.util.Set.of("core", "pg", "transport")),
            java.util.Map.entry("verify", java.util.Set.of("core", "facts", "inventory", "pg", "plan", "transport")),
            java.util.Map.entry("execute", java.util.Set.of("core", "facts", "inventory", "journal", "pg", "plan",
                    "planner", "replication", "transport", "verify")),
            java.util.Map.entry("demo", java.util.Set.of("core", "inventory", "transport")),
            java.util.Map.entry("app", java.util.Set.of("check", "core", "demo", "execute", "facts", "inspect",
                    "inventory", "journal", "pg", "plan", "planner", "rehearsal", "replication", "transport",
                    "verify")),
            java.util.Map.entry("cli", java.util.Set.of("app", "core", "demo", "plan", "transport")));

    @Test
    void eachPackageUsesOnlyWhatTheLayeringTableAllows() {
        for (var e : MAY_USE.entrySet()) {
            String[] forbidden = MAY_USE.keySet().stream().filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
                    .map(p -> "io.pgmigrate." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.pgmigrate." + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(e.getKey() + " uses only " + e.getValue()).check(MAIN);
        }
    }

    @Test
    void everyPackageIsInTheTable() {
        java.util.Set<String> packages = new java.util.TreeSet<>();
        MAIN.forEach(c -> {
            String rest = c.getPackageName().substring("io.pgmigrate".length());
            if (rest.startsWith(".")) {
                packages.add(rest.substring(1).split("\\.")[0]);
            }
        });
        org.assertj.core.api.Assertions.assertThat(packages).containsExactlyInAnyOrderElementsOf(MAY_USE.keySet());
    }
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
                .should().dependOnClassesThat().resideInAnyPackage("com.jcraft.jsch..", "org.postgresql..", "java.sql..",
                        "java.net.http..")
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
