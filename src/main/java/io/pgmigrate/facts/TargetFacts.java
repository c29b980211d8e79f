package io.pgmigrate.facts;

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
 * @param extensions        extension name (one per {@code share/extension/NAME.control}) → every version its
 *                          scripts name (install scripts {@code NAME--V.sql} and both ends of update scripts
 *                          {@code NAME--A--B.sql}), in version order
 * @param defaultVersions   extension name → default_version of its control file
 * @param libraries         file names in {@code pkglibdir} (modules C functions and preload settings reference)
 * @param dataDir           the target data directory's host facts
 * @param shareDir          {@code pg_config --sharedir}
 * @param pkgLibDir         {@code pg_config --pkglibdir}
 * @param extensionUpdates  extension name → its update scripts as {@code A--B} (from A to B), for update paths
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
        HostFacts dataDir,
        String shareDir,
        String pkgLibDir,
        Map<String, List<String>> extensionUpdates) {

    /** Whether {@code pg_config --configure} lists this option (exactly, or as {@code option=…}). */
    public boolean builtWith(String option) {
        return configureOptions.stream().anyMatch(o -> o.equals(option) || o.startsWith(option + "="));
    }

    public boolean hasExtension(String name) {
        return defaultVersions.containsKey(name) || extensions.containsKey(name);
    }
}
