package io.pgmigrate.inspect;

import io.pgmigrate.facts.RehearsalFacts.RestoreError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreErrorsTest {
    @Test
    void eachPgRestoreErrorIsMappedToItsTocEntry() {
        String stderr = """
                pg_restore: while PROCESSING TOC:
                pg_restore: from TOC entry 215; 1259 16390 VIEW bgwriter_report postgres
                pg_restore: error: could not execute query: ERROR:  column "checkpoints_timed" does not exist
                LINE 2:     SELECT pg_stat_bgwriter.checkpoints_timed
                                   ^
                Command was: CREATE VIEW public.bgwriter_report AS
                 SELECT checkpoints_timed
                   FROM pg_catalog.pg_stat_bgwriter;
                pg_restore: from TOC entry 2; 3079 16385 EXTENSION adminpack app owner
                pg_restore: error: could not execute query: ERROR:  extension "adminpack" is not available
                pg_restore: warning: errors ignored on restore: 2
                """;
        assertThat(RestoreErrors.ofPgRestore("shop", stderr)).containsExactly(
                new RestoreError("shop", "VIEW bgwriter_report (owner postgres)",
                        "column \"checkpoints_timed\" does not exist"),
                new RestoreError("shop", "EXTENSION adminpack app (owner owner)",
                        "extension \"adminpack\" is not available"));
    }

    @Test
    void postgres18NamesTheFailedStatementAndTheFollowOnOwnerErrorIsLeftOut() {
        String stderr = """
                pg_restore: error: could not execute query: ERROR:  column pg_stat_bgwriter.checkpoints_timed does not exist
                LINE 2:  SELECT pg_stat_bgwriter.checkpoints_timed
                                ^
                Command was: CREATE VIEW public.bgw AS
                 SELECT pg_stat_bgwriter.checkpoints_timed
                   FROM pg_stat_bgwriter;


                pg_restore: error: could not execute query: ERROR:  relation "public.bgw" does not exist
                Command was: ALTER VIEW public.bgw OWNER TO postgres;

                pg_restore: error: could not execute query: ERROR:  type "public.gone" does not exist
                Command was: CREATE TABLE public.t (c public.gone);
                pg_restore: warning: errors ignored on restore: 3
                """;
        assertThat(RestoreErrors.ofPgRestore("shop", stderr)).containsExactly(
                new RestoreError("shop", "CREATE VIEW public.bgw", "column pg_stat_bgwriter.checkpoints_timed does not exist"),
                new RestoreError("shop", "CREATE TABLE public.t (c public.gone)", "type \"public.gone\" does not exist"));
    }

    @Test
    void aCleanRestoreHasNoErrors() {
        assertThat(RestoreErrors.ofPgRestore("shop", "")).isEmpty();
        assertThat(RestoreErrors.ofPgRestore("shop", "pg_restore: warning: something harmless\n")).isEmpty();
    }

    @Test
    void theInstallUserAlreadyExistingIsExpectedOtherRoleErrorsAreNot() {
        String stderr = """
                psql:/tmp/pgmigrate-rehearsal.x/roles.sql:14: ERROR:  role "postgres" already exists
                psql:/tmp/pgmigrate-rehearsal.x/roles.sql:20: ERROR:  role "pg_checkpoint" is reserved
                """;
        assertThat(RestoreErrors.ofRoles(stderr, "postgres")).containsExactly(
                new RestoreError("(roles)", "roles script line 20", "role \"pg_checkpoint\" is reserved"));
    }
}
