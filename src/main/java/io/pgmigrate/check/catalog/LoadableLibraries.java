package io.pgmigrate.check.catalog;

import io.pgmigrate.pg.PgVersion;
import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;
import io.pgmigrate.facts.SourceFacts.SlotFacts;
import io.pgmigrate.pg.SqlIdentifiers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Libraries the source's C-language functions (and, from 17 on, its logical slots' output plugins) load,
 * compared with the files in the target's pkglibdir. pg_upgrade LOADs each of them in the new cluster and
 * stops when one is missing; we find it days earlier and say which functions need it.
 *
 * <p>{@code $libdir/name} and a bare {@code name} mean {@code name.so} in pkglibdir. A function that names
 * its library by absolute path is a blocker when that file name is missing from the target or the path
 * points into the source installation (a library built for another major cannot be loaded), else a warning.
 */
final class LoadableLibraries implements PreCheck {
    static final String ID = "loadable-libraries";
    private static final String SUFFIX = ".so";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        // functions created by initdb (OID below 16384) come with the target's own build
        return List.of(new Probe(ID, Probe.Scope.EACH_DATABASE,
                "SELECT n.nspname::text AS schema_name, p.proname::text AS function_name,"
                        + " pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,"
                        + " p.probin AS library, e.extname::text AS extension"
                        + " FROM pg_catalog.pg_proc p"
                        + " JOIN pg_catalog.pg_language l ON l.oid = p.prolang AND l.lanname = 'c'"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
                        + " AND d.objid = p.oid AND d.deptype = 'e'"
                        + " LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid"
                        + " WHERE p.probin IS NOT NULL AND p.oid >= 16384"
                        + " ORDER BY p.probin, n.nspname, p.proname, p.oid"));
    }

    /** What a probin / plugin name needs in pkglibdir: "$libdir/postgis-3" → "postgis-3.so". */
    static String fileName(String library) {
        String name = library;
        if (name.startsWith("$libdir/")) {
            name = name.substring("$libdir/".length());
        } else if (name.startsWith("/")) {
            name = Path.of(name).getFileName().toString();
        }
        return name.endsWith(SUFFIX) ? name : name + SUFFIX;
    }

    private record Usage(String library, boolean absolute, List<String> objects, FixScript drops) {
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        if (input.target() == null || input.target().libraries() == null) {
            return List.of();  // the target's pkglibdir was not read: nothing to compare with
        }
        Set<String> available = new HashSet<>(input.target().libraries());
        String sourceInstall = sourceInstallation(input);
        Map<String, Usage> missing = new LinkedHashMap<>();
        Map<String, Usage> absolute = new LinkedHashMap<>();
        Set<String> extensionsSeen = new HashSet<>();
        for (ProbeRow r : input.probe(ID)) {
            String library = r.get("library");
            String file = fileName(library);
            boolean isAbsolute = library.startsWith("/");
            boolean present = available.contains(file)
                    && !(isAbsolute && sourceInstall != null && library.startsWith(sourceInstall));
            if (present && !isAbsolute) {
                continue;
            }
            Usage u = (present ? absolute : missing).computeIfAbsent(library,
                    k -> new Usage(k, isAbsolute, new ArrayList<>(), new FixScript()));
            String ext = r.get("extension");
            String function = Names.qualified(r.get("schema_name"), r.get("function_name")) + "(" + r.get("arguments")
                    + ")";
            u.objects.add(Names.inDb(r.database()) + "function " + function + " uses " + library
                    + (ext == null ? "" : " (extension " + Names.ident(ext) + ")"));
            if (ext == null) {
                u.drops.add(r.database(), "DROP ROUTINE " + SqlIdentifiers.qualified(r.get("schema_name"),
                        r.get("function_name")) + "(" + r.get("arguments") + ");");
            } else if (extensionsSeen.add(library + "\0" + r.database() + "\0" + ext)) {
                u.drops.add(r.database(), "DROP EXTENSION " + SqlIdentifiers.quote(ext) + ";");
            }
        }
        if (input.path().sourceAtLeast(1700)) {
            // pg_upgrade 17+ carries logical slots and loads their output plugins too
            for (SlotFacts slot : input.source().replicationSlots()) {
                if (!"logical".equals(slot.type()) || slot.plugin() == null
                        || available.contains(fileName(slot.plugin()))) {
                    continue;
                }
                Usage u = missing.computeIfAbsent(slot.plugin(),
                        k -> new Usage(k, k.startsWith("/"), new ArrayList<>(), new FixScript()));
                u.objects.add("logical replication slot " + Names.ident(slot.name()) + " (db "
                        + Names.ident(slot.database()) + ") uses output plugin " + slot.plugin());
                u.drops.add(FixScript.ANY_DATABASE,
                        "SELECT pg_catalog.pg_drop_replication_slot(" + SqlIdentifiers.literal(slot.name()) + ");");
            }
        }
        String target = PgVersion.majorLabel(input.path().targetMajor());
        List<Finding> findings = new ArrayList<>();
        for (Usage u : missing.values()) {
            String file = fileName(u.library);
            String why = u.absolute && available.contains(file)
                    ? "It is named by an absolute path into the source installation: pg_upgrade would load the"
                      + " build for the old major version, which the new server rejects."
                    : file + " is not in the target's pkglibdir. pg_upgrade loads every library the old cluster's"
                      + " C functions use and stops when one is missing.";
            findings.add(new Finding(ID, Severity.BLOCKER, "Library " + u.library + " is missing for PostgreSQL "
                    + target, why, u.objects, u.drops.render("Install the build of " + file + " for PostgreSQL "
                    + target + " on the target host (the extension's package for PostgreSQL " + target + ")"
                    + (u.absolute ? " and point the functions at $libdir" : "")
                    + ". Only if these are unused, drop them on the source instead:")));
        }
        for (Usage u : absolute.values()) {
            findings.add(new Finding(ID, Severity.WARNING, "Functions load " + u.library + " by absolute path",
                    "pg_upgrade loads exactly this file in the new server. The target's pkglibdir has a file of"
                            + " that name; make sure the file at this path is the build for PostgreSQL " + target
                            + ".",
                    u.objects, "Prefer $libdir: CREATE OR REPLACE FUNCTION … AS '$libdir/"
                    + fileName(u.library).replaceAll("\\.so$", "") + "', …  (or ALTER EXTENSION … UPDATE)."));
        }
        return findings;
    }

    /**
     * The source installation's directory (parent of its bin directory) as a path prefix; null when unknown
     * or when it also contains the target installation (e.g. both under /usr).
     */
    private static String sourceInstallation(CheckInput input) {
        if (input.inventory() == null || input.inventory().source() == null
                || input.inventory().source().binDir() == null) {
            return null;
        }
        Path source = input.inventory().source().binDir().getParent();
        if (source == null || source.getNameCount() < 2) {
            return null;
        }
        Path targetBin = input.inventory().target() == null ? null : input.inventory().target().binDir();
        if (targetBin != null && targetBin.startsWith(source)) {
            return null;
        }
        return source + "/";
    }
}
