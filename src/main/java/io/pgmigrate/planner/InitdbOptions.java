package io.pgmigrate.planner;

import io.pgmigrate.facts.SourceFacts;
import io.pgmigrate.facts.SourceFacts.DatabaseFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * The new cluster's initdb arguments, derived from the old cluster so that pg_upgrade accepts it:
 * same encoding, locale provider and locales as the old template0, same WAL segment size, and the
 * same data-checksums setting (PostgreSQL 18's initdb enables checksums by default; pg_upgrade refuses
 * a mismatch, so a source without checksums needs {@code --no-data-checksums}).
 */
public final class InitdbOptions {
    private InitdbOptions() {
    }

    public static List<String> argv(String binDir, String dataDir, SourceFacts source, int targetMajor) {
        DatabaseFacts template = templateDatabase(source);
        List<String> argv = new ArrayList<>(List.of(binDir + "/initdb", "-D", dataDir,
                "--username=" + source.bootstrapSuperuser()));
        if (template != null) {
            argv.add("--encoding=" + template.encoding());
            String provider = template.localeProvider() == null ? "libc" : template.localeProvider();
            argv.add("--locale-provider=" + provider);
            argv.add("--lc-collate=" + template.collate());
            argv.add("--lc-ctype=" + template.ctype());
            if ("icu".equals(provider) && template.icuLocale() != null) {
                argv.add("--icu-locale=" + template.icuLocale());
            } else if ("builtin".equals(provider) && template.icuLocale() != null) {
                argv.add("--builtin-locale=" + template.icuLocale());
            }
        }
        if (source.dataChecksums()) {
            argv.add("--data-checksums");
        } else if (targetMajor >= 18) {
            argv.add("--no-data-checksums");
        }
        long segMb = source.controlData().walSegmentSize() / (1024 * 1024);
        if (segMb != 16) {
            argv.add("--wal-segsize=" + segMb);
        }
        return List.copyOf(argv);
    }

    /** template0 decides pg_upgrade's locale/encoding check; fall back to template1, then postgres. */
    static DatabaseFacts templateDatabase(SourceFacts source) {
        for (String name : List.of("template0", "template1", "postgres")) {
            for (DatabaseFacts d : source.databases()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
        }
        return source.databases().isEmpty() ? null : source.databases().get(0);
    }
}
