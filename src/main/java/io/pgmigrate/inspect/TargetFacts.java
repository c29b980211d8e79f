package io.pgmigrate.inspect;

import io.pgmigrate.pg.PgVersion;

import java.util.List;
import java.util.Map;

/**
 * What the target binaries offer, read on the host that will run them.
 *
 * @param binariesVersion   {@code postgres --version}
 * @param pgUpgradeVersion  {@code pg_upgrade --version}
 * @param initdbVersion     {@code initdb --version}
 * @param configureOptions  {@code pg_config --configure}, split into options
 * @param extensions        extension name → versions installable ({@code share/extension/*.control} and scripts)
 * @param defaultVersions   extension name → default_version of its control file
 * @param libraries         file names in {@code pkglibdir} (modules C functions may reference)
 * @param dataDir           the target data directory's host facts
 */
public record TargetFacts(
        String binDir,
        PgVersion binariesVersion,
        PgVersion pgUpgradeVersion,
        PgVersion initdbVersion,
        List<String> configureOptions,
        Map<String, List<String>> extensions,
        Map<String, String> defaultVersions,
        List<String> libraries,
        HostFacts dataDir) {
}
