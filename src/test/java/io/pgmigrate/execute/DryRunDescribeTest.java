package io.pgmigrate.execute;

import io.pgmigrate.plan.Action;
import io.pgmigrate.plan.Action.Endpoint;
import io.pgmigrate.plan.HostRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The dry run prints the blue/green kinds too, one line each, instead of failing on them. */
class DryRunDescribeTest {
    @Test
    void everyBlueGreenKindHasALine() {
        List<Action> kinds = List.of(
                new Action.CopyFile(HostRole.SOURCE, "/etc/pg_hba.conf", HostRole.TARGET, "/srv/18/pg_hba.conf", "0600"),
                new Action.Logins(Endpoint.SOURCE, Action.Logins.Change.BLOCK),
                new Action.WalPosition(Endpoint.TARGET),
                new Action.WaitForReplication(Action.WaitForReplication.Condition.CONFIRMED_POSITION, Endpoint.SOURCE,
                        "shop", "pgmigrate_shop", "pgmigrate_shop", 0, "cutover.wal-position"),
                new Action.CopySequences(Endpoint.SOURCE, Endpoint.TARGET, "shop"),
                new Action.CopyLargeObjects(Endpoint.TARGET, Endpoint.SOURCE, "shop"));
        assertThat(kinds).extracting(DryRun::replication).containsExactly(
                "copy /etc/pg_hba.conf (source) to /srv/18/pg_hba.conf (target), mode 0600",
                "block application logins on source",
                "read the current WAL position of target",
                "wait until confirmed position: subscription pgmigrate_shop (database shop, slot pgmigrate_shop on"
                        + " source)",
                "copy the sequences of database shop from source to target",
                "copy the large objects of database shop from target to source");
    }
}
