package io.pgmigrate.check.catalog;

import io.pgmigrate.plan.Finding;
import io.pgmigrate.check.Probe;
import io.pgmigrate.plan.Severity;
import io.pgmigrate.testing.Facts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgmigrate.check.catalog.CheckInputs.input;
import static io.pgmigrate.check.catalog.CheckInputs.path;
import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionsTest {
    private final Subscriptions check = new Subscriptions();

    private static Facts subs(String hasOrigin) {
        Facts f = Facts.healthy();
        f.probe("subscriptions", "postgres", "subscription_name", "orders_sub", "database_name", "shop",
                "enabled", "true", "has_origin", "true");
        f.probe("subscriptions", "postgres", "subscription_name", "Old Sub", "database_name", "Reports",
                "enabled", "false", "has_origin", hasOrigin);
        return f;
    }

    @Test
    void probesByVersion() {
        assertThat(check.probes(path(15, 18))).extracting(Probe::id).containsExactly("subscriptions");
        assertThat(check.probes(path(15, 18)).get(0).sql()).doesNotContain("pg_replication_origin");
        assertThat(check.probes(path(17, 18))).extracting(Probe::id)
                .containsExactly("subscriptions", "subscriptions.relations");
        assertThat(check.probes(path(17, 18)).get(1).sql()).contains("r.srsubstate NOT IN ('i', 'r')");
    }

    @Test
    void quietWithoutSubscriptions() {
        assertThat(check.evaluate(input(Facts.healthy()))).isEmpty();
        assertThat(check.evaluate(input(Facts.healthy(), 17, 18))).isEmpty();
    }

    @Test
    void before17TheyMustBeRefreshed() {
        Finding x = check.evaluate(input(subs("true"), 15, 18)).get(0);
        assertThat(x.severity()).isEqualTo(Severity.WARNING);
        assertThat(x.title()).isEqualTo("Subscriptions lose their replication state");
        assertThat(x.objects()).containsExactly("subscription orders_sub in db shop",
                "subscription \"Old Sub\" in db \"Reports\" (disabled)");
        assertThat(x.fix()).endsWith("""
                -- in database shop:
                ALTER SUBSCRIPTION "orders_sub" ENABLE;
                ALTER SUBSCRIPTION "orders_sub" REFRESH PUBLICATION WITH (copy_data = false);
                -- in database "Reports":
                ALTER SUBSCRIPTION "Old Sub" ENABLE;
                ALTER SUBSCRIPTION "Old Sub" REFRESH PUBLICATION WITH (copy_data = false);""");
    }

    @Test
    void from17TheyAreCarriedWhenReady() {
        List<Finding> findings = check.evaluate(input(subs("true"), 17, 18));
        assertThat(findings).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.detail()).contains("max_active_replication_origins must be at least 2");
        });
    }

    @Test
    void from17MissingOriginsAndUnfinishedSyncsBlock() {
        Facts f = subs("false");
        f.probe("subscriptions.relations", "shop", "subscription_name", "orders_sub", "schema_name", "public",
                "table_name", "Order Lines", "state", "d");
        List<Finding> findings = check.evaluate(input(f, 17, 18));
        assertThat(findings).extracting(Finding::severity)
                .containsExactly(Severity.BLOCKER, Severity.BLOCKER, Severity.INFO);
        assertThat(findings.get(0).objects())
                .containsExactly("subscription \"Old Sub\" in db \"Reports\" (replication origin missing)");
        assertThat(findings.get(1).objects())
                .containsExactly("db shop: subscription orders_sub table public.\"Order Lines\" (state d)");
    }
}
