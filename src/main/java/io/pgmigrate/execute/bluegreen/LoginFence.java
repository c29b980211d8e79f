package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.plan.Step;
import io.pgmigrate.transport.SqlSession;
import io.pgmigrate.transport.TransportException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link Action.Logins}: BLOCK alters every role that can log in — superusers and REPLICATION roles included — to
 * NOLOGIN, except the role pgmigrate itself connects as (it needs new sessions through the cutover; a stray session of
 * that role is caught by the proofs of the freeze), then terminates every client session but this one; replication
 * connections (walsenders: they write nothing) are left alone. RESTORE gives exactly those roles LOGIN back. The roles
 * BLOCK changed are written, as data (a JSON list), to a file beside the journal before any is altered (added to what
 * an earlier, interrupted run wrote), so that a retried BLOCK, which finds them NOLOGIN already, still leaves RESTORE
 * the whole list; the journal note names them too.
 */
final class LoginFence {
    /** Every role that can log in and could write, but pgmigrate's own and the reserved pg_ roles. */
    static final String WRITER_ROLES = "SELECT rolname FROM pg_catalog.pg_roles"
            + " WHERE rolcanlogin AND rolname <> current_user AND rolname !~ '^pg_' ORDER BY 1";

    private final ExecutionContext ctx;

    LoginFence(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    String run(Step step, Action.Logins l) {
        try (SqlSession s = ctx.sql(l.endpoint(), ctx.access(l.endpoint()).maintenanceDatabase(), step.timeout())) {
            return l.change() == Action.Logins.Change.BLOCK ? block(s, l) : restore(s, l);
        } catch (TransportException e) {
            throw new StepFailure(step.id() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StepFailure(step.id() + ": the list of blocked roles beside the journal: "
                    + e.getCause().getMessage());
        }
    }

    private String block(SqlSession s, Action.Logins l) {
        Set<String> roles = new LinkedHashSet<>(read(l.endpoint()));
        s.query(WRITER_ROLES).forEach(r -> roles.add(r.get("rolname")));
        write(l.endpoint(), roles);
        for (String role : roles) {
            s.execute("ALTER ROLE " + SqlIdentifiers.quote(role) + " NOLOGIN");
        }
        // every client session but this one, whatever it calls itself: pgmigrate's own are known by pid only
        int terminated = s.query("SELECT pg_catalog.pg_terminate_backend(pid) AS t FROM pg_catalog.pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_catalog.pg_backend_pid()").size();
        return "blocked roles: " + names(roles) + "; " + terminated + " session(s) terminated";
    }

    private String restore(SqlSession s, Action.Logins l) {
        List<String> roles = read(l.endpoint());
        List<String> restored = new ArrayList<>();
        for (String role : roles) {
            if (!s.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?", role).isEmpty()) {
                s.execute("ALTER ROLE " + SqlIdentifiers.quote(role) + " LOGIN");
                restored.add(role);
            }
        }
        return "logins restored: " + names(restored);
    }

    /** Where BLOCK keeps the roles it changed on one endpoint: beside the journal, never on a host. */
    Path file(Action.Endpoint endpoint) {
        Path journal = ctx.files().journal();
        return journal.resolveSibling(ctx.plan().name() + ".blocked-roles-" + endpoint.name().toLowerCase() + ".json");
    }

    List<String> read(Action.Endpoint endpoint) {
        Path f = file(endpoint);
        try {
            return Files.exists(f) ? List.of(PlanJson.mapper().readValue(Files.readString(f, StandardCharsets.UTF_8),
                    String[].class)) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Action.Endpoint endpoint, Set<String> roles) {
        Path f = file(endpoint);
        try {
            // as JSON (a name may hold any character), mode 0600 as every file pgmigrate writes beside the plan
            io.pgmigrate.core.PrivateFiles.writeAtomically(f, PlanJson.mapper().writeValueAsString(roles));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String names(java.util.Collection<String> roles) {
        return roles.isEmpty() ? "none" : roles.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
