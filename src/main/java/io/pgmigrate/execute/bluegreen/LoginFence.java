package io.pgmigrate.execute.bluegreen;

import io.pgmigrate.execute.ExecutionContext;
import io.pgmigrate.execute.StepFailure;

import io.pgmigrate.pg.SqlIdentifiers;
import io.pgmigrate.plan.Action;
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
 * {@link Action.Logins}: BLOCK alters every application role of the cluster (can log in, neither superuser nor
 * REPLICATION, not pgmigrate's own role) to NOLOGIN and terminates their sessions; RESTORE gives exactly those
 * roles LOGIN back. The roles BLOCK changed are written to a file beside the journal before any is altered (one
 * name a line, added to what an earlier, interrupted run wrote), so that a retried BLOCK, which finds them
 * NOLOGIN already, still leaves RESTORE the whole list; the journal note names them too.
 */
final class LoginFence {
    static final String APPLICATION_ROLES = "SELECT rolname FROM pg_catalog.pg_roles"
            + " WHERE rolcanlogin AND NOT rolsuper AND NOT rolreplication AND rolname <> current_user"
            + " AND rolname !~ '^pg_' ORDER BY 1";

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
        s.query(APPLICATION_ROLES).forEach(r -> roles.add(r.get("rolname")));
        write(l.endpoint(), roles);
        for (String role : roles) {
            s.execute("ALTER ROLE " + SqlIdentifiers.quote(role) + " NOLOGIN");
        }
        int terminated = 0;
        if (!roles.isEmpty()) {
            terminated = s.query("SELECT pg_catalog.pg_terminate_backend(pid) AS t FROM pg_catalog.pg_stat_activity"
                    + " WHERE usename IN (" + roles.stream().map(SqlIdentifiers::literal).collect(Collectors.joining(", "))
                    + ") AND pid <> pg_catalog.pg_backend_pid()").size();
        }
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
        return journal.resolveSibling(ctx.plan().name() + ".blocked-roles-" + endpoint.name().toLowerCase() + ".txt");
    }

    List<String> read(Action.Endpoint endpoint) {
        Path f = file(endpoint);
        try {
            return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                    .filter(r -> !r.isEmpty()).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Action.Endpoint endpoint, Set<String> roles) {
        Path f = file(endpoint);
        try {
            // mode 0600, as every file pgmigrate writes beside the plan
            io.pgmigrate.core.PrivateFiles.writeAtomically(f, roles.stream().map(r -> r + "\n")
                    .collect(Collectors.joining()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String names(java.util.Collection<String> roles) {
        return roles.isEmpty() ? "none" : roles.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
