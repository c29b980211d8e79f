package io.pgmigrate.check.catalog;

import io.pgmigrate.testing.PgCluster;
import org.junit.jupiter.api.BeforeAll;

/** The collation check on a PostgreSQL 18 source (the database's locale in datlocale). */
class CollationVersionsPg18IT extends CollationVersionsIT {
    @BeforeAll
    static void startSource() {
        pg = PgCluster.start(18);
    }
}
