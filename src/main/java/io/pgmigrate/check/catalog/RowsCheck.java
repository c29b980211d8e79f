package io.pgmigrate.check.catalog;

import io.pgmigrate.check.CheckInput;
import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.PreCheck;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.check.UpgradePath;
import io.pgmigrate.facts.ProbeRow;

import java.util.ArrayList;
import java.util.List;

/**
 * A check whose one probe returns one offending object per row: no rows, no finding; otherwise one finding
 * that lists every row as an object and fixes each with one statement, run in the row's database (in any
 * database when the probe is cluster-wide: roles, databases).
 *
 * <p>Subclasses only say when they apply, the probe's SQL, how a row reads as an object and as a fix
 * statement, and the finding's texts.
 */
abstract class RowsCheck implements PreCheck {
    private final String id;
    private final Probe.Scope scope;
    private final Severity severity;
    private final String title;
    private final String detail;
    private final String lead;

    /**
     * @param id    the check's id, also its probe's
     * @param lead  the sentence before the fix statements; the whole fix when rows have no statement
     */
    RowsCheck(String id, Probe.Scope scope, Severity severity, String title, String detail, String lead) {
        this.id = id;
        this.scope = scope;
        this.severity = severity;
        this.title = title;
        this.detail = detail;
        this.lead = lead;
    }

    /** The probe's SELECT. */
    abstract String sql(UpgradePath path);

    /** The row as a DBA reads it in the finding's objects (per-database rows start with {@link Names#inDb}). */
    abstract String object(ProbeRow row);

    /** The SQL statement that fixes the row's object, or null when the lead alone says what to do. */
    abstract String fix(ProbeRow row);

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Probe> probes(UpgradePath path) {
        return List.of(new Probe(id, scope, sql(path)));
    }

    @Override
    public List<Finding> evaluate(CheckInput input) {
        List<ProbeRow> rows = input.probe(id);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        FixScript fix = new FixScript();
        for (ProbeRow r : rows) {
            objects.add(object(r));
            String statement = fix(r);
            if (statement != null) {
                fix.add(scope == Probe.Scope.CLUSTER ? FixScript.ANY_DATABASE : r.database(), statement);
            }
        }
        return List.of(new Finding(id, severity, title, detail, objects, fix.render(lead)));
    }
}
