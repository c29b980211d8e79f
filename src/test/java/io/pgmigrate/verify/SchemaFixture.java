package io.pgmigrate.verify;

import io.pgmigrate.testing.PgCluster;

/**
 * A realistic schema, valid DDL on PostgreSQL 15 and 18: awkward names (quotes, spaces, mixed case,
 * unicode, reserved words, {@code system_user} which became a key word in 16), an enum, a domain, a
 * composite and a range type, a partitioned table, partial, expression and covering indexes, foreign key,
 * check, unique, deferrable and exclusion constraints, an identity column, a sequence owned by a column
 * and a free one, views (one with check option), a materialized view, plpgsql and SQL-standard functions,
 * an aggregate, a procedure, triggers, a rule, a policy, extensions (citext, btree_gist), owners, grants,
 * a column grant, default privileges, comments, a collation, extended statistics, publications (column
 * list, row filter, schema) and an event trigger.
 */
final class SchemaFixture {
    static final String DATABASE = "shop";

    private SchemaFixture() {
    }

    static void create(PgCluster pg) {
        pg.sql("postgres",
                "CREATE ROLE app_owner",
                "CREATE ROLE reader",
                "CREATE ROLE writer",
                "CREATE DATABASE shop OWNER app_owner");
        pg.sql(DATABASE,
                "CREATE EXTENSION citext",
                "CREATE EXTENSION btree_gist",
                "CREATE SCHEMA \"Sales Dept\" AUTHORIZATION app_owner",
                "GRANT USAGE ON SCHEMA \"Sales Dept\" TO reader",
                "COMMENT ON SCHEMA \"Sales Dept\" IS 'figures per quarter'",
                "CREATE TYPE public.state AS ENUM ('new', 'paid', 'shipped')",
                "CREATE DOMAIN public.positive_amount AS numeric(12,2) NOT NULL DEFAULT 0"
                        + " CONSTRAINT positive CHECK (VALUE >= 0)",
                "CREATE TYPE public.address AS (street text, city citext, zip varchar(10))",
                "CREATE TYPE public.floatrange AS RANGE (subtype = float8)",
                "CREATE SEQUENCE public.invoice_no AS integer INCREMENT BY 5 MINVALUE 100 MAXVALUE 999999"
                        + " START 100 CACHE 10 CYCLE",
                """
                CREATE TABLE public.customers (
                  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                  email citext NOT NULL UNIQUE,
                  "Full Name" text,
                  home address,
                  created timestamptz NOT NULL DEFAULT now(),
                  since date DEFAULT '2020-01-01',
                  "system_user" text DEFAULT CURRENT_USER,
                  CONSTRAINT email_has_at CHECK (email LIKE '%@%'))""",
                "ALTER TABLE public.customers ALTER \"Full Name\" SET STATISTICS 500",
                "COMMENT ON TABLE public.customers IS 'who buys'",
                "COMMENT ON COLUMN public.customers.email IS 'unique, case-insensitive'",
                "CREATE INDEX customers_sysuser_idx ON public.customers (\"system_user\")",
                """
                CREATE TABLE public."Order ""Items"" 2024" (
                  id serial PRIMARY KEY,
                  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
                  "select" integer DEFAULT 1,
                  "Größe" text COLLATE "C",
                  status state NOT NULL DEFAULT 'new',
                  amount positive_amount,
                  during tstzrange,
                  room int,
                  weight double precision GENERATED ALWAYS AS ("select" * 1.5) STORED,
                  CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&),
                  CONSTRAINT "select positive" CHECK ("select" > 0) NOT VALID)""",
                "CREATE INDEX items_lower_idx ON public.\"Order \"\"Items\"\" 2024\" (lower(\"Größe\"))",
                "CREATE INDEX items_open_idx ON public.\"Order \"\"Items\"\" 2024\" (customer_id)"
                        + " WHERE status <> 'shipped'",
                "CREATE UNIQUE INDEX items_desc_idx ON public.\"Order \"\"Items\"\" 2024\""
                        + " (customer_id DESC NULLS LAST, id) INCLUDE (room)",
                "CREATE TABLE \"Sales Dept\".\"Quarterly\" (q int, yr int, total numeric,"
                        + " UNIQUE (yr, q) DEFERRABLE INITIALLY DEFERRED) WITH (fillfactor = 70)",
                "CREATE UNLOGGED TABLE public.scratch (k text PRIMARY KEY, v jsonb)",
                "CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, payload text)"
                        + " PARTITION BY RANGE (at)",
                "CREATE TABLE public.events_2024 PARTITION OF public.events"
                        + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE public.events_default PARTITION OF public.events DEFAULT",
                "CREATE INDEX events_at_idx ON public.events (at)",
                "ALTER TABLE public.events ADD PRIMARY KEY (id, at)",
                "CREATE VIEW public.paid_items AS SELECT i.id, i.customer_id, c.email, i.amount"
                        + " FROM \"Order \"\"Items\"\" 2024\" i JOIN customers c ON c.id = i.customer_id"
                        + " WHERE i.status = 'paid'::state AND c.since > '2021-01-01'",
                "CREATE VIEW public.big_customers WITH (security_barrier) AS SELECT id, email FROM customers"
                        + " WHERE id > 100 WITH LOCAL CHECK OPTION",
                "CREATE MATERIALIZED VIEW public.totals AS SELECT customer_id, sum(amount) AS total,"
                        + " count(*) AS n FROM \"Order \"\"Items\"\" 2024\" GROUP BY customer_id",
                "CREATE UNIQUE INDEX totals_customer ON public.totals (customer_id)",
                """
                CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.created := now();
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER customers_touch BEFORE UPDATE ON public.customers FOR EACH ROW"
                        + " WHEN (OLD.\"Full Name\" IS DISTINCT FROM NEW.\"Full Name\") EXECUTE FUNCTION touch()",
                """
                CREATE FUNCTION public.note_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RETURN NULL;
                END $$""",
                "CREATE TRIGGER events_note AFTER INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION note_event()",
                "CREATE FUNCTION public.order_total(cust bigint, OUT total numeric, OUT n bigint) STABLE STRICT"
                        + " LANGUAGE sql AS $$ SELECT sum(amount), count(*) FROM \"Order \"\"Items\"\" 2024\""
                        + " WHERE customer_id = cust $$",
                "CREATE FUNCTION public.add_one(x integer) RETURNS integer IMMUTABLE PARALLEL SAFE LANGUAGE sql"
                        + " RETURN x + 1",
                "CREATE FUNCTION public.big_count() RETURNS bigint STABLE LANGUAGE sql"
                        + " BEGIN ATOMIC SELECT count(*) FROM customers WHERE id > 100; END",
                "CREATE AGGREGATE public.product(numeric) (sfunc = numeric_mul, stype = numeric, initcond = '1')",
                """
                CREATE PROCEDURE public.ship(item integer, INOUT done boolean DEFAULT false) LANGUAGE plpgsql
                SECURITY DEFINER SET search_path = public AS $$
                BEGIN
                  UPDATE "Order ""Items"" 2024" SET status = 'shipped' WHERE id = item;
                  done := true;
                END $$""",
                "CREATE TABLE public.audit (id bigint PRIMARY KEY, note text)",
                "CREATE SEQUENCE public.audit_id_seq OWNED BY public.audit.id",
                "ALTER TABLE public.audit ALTER id SET DEFAULT nextval('audit_id_seq')",
                "CREATE RULE audit_no_delete AS ON DELETE TO public.audit DO INSTEAD NOTHING",
                "ALTER TABLE public.scratch ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY own_rows ON public.scratch FOR SELECT TO reader USING (k = current_user)",
                "ALTER TABLE public.\"Order \"\"Items\"\" 2024\" OWNER TO app_owner",
                "ALTER FUNCTION public.touch() OWNER TO app_owner",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader",
                "GRANT INSERT, UPDATE ON public.customers TO writer WITH GRANT OPTION",
                "GRANT ALL ON public.audit TO writer",
                "GRANT UPDATE (\"Full Name\") ON public.customers TO reader",
                "GRANT USAGE ON SEQUENCE public.invoice_no TO writer",
                "REVOKE EXECUTE ON FUNCTION public.add_one(integer) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION public.add_one(integer) TO reader",
                "ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA \"Sales Dept\" GRANT SELECT ON TABLES TO reader",
                "ALTER DEFAULT PRIVILEGES FOR ROLE app_owner GRANT ALL ON TABLES TO writer",
                "ALTER DEFAULT PRIVILEGES FOR ROLE app_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
                "CREATE COLLATION public.\"Sort Order\" (provider = libc, locale = 'C.UTF-8')",
                "CREATE STATISTICS public.items_stats (dependencies, ndistinct) ON customer_id, room"
                        + " FROM public.\"Order \"\"Items\"\" 2024\"",
                "CREATE PUBLICATION shop_pub FOR TABLE public.customers (id, email) WHERE (id > 0), public.audit",
                "CREATE PUBLICATION sales_inserts FOR TABLES IN SCHEMA \"Sales Dept\" WITH (publish = 'insert')",
                "CREATE FUNCTION public.no_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN RAISE EXCEPTION 'no DROP here'; END $$",
                "CREATE EVENT TRIGGER no_drop ON ddl_command_start WHEN TAG IN ('DROP SCHEMA')"
                        + " EXECUTE FUNCTION no_drop()");
    }

    static final String CITEXT_DATABASE = "crm";

    /**
     * A trigger whose WHEN clause compares citext values with IS DISTINCT FROM. pg_dump cannot qualify
     * that operator, and restores with an empty search_path, so after a dump and restore (pg_upgrade
     * included) the clause compares the values as text: case-sensitively.
     */
    static void createCitextTrigger(PgCluster pg) {
        pg.createDatabase(CITEXT_DATABASE);
        pg.sql(CITEXT_DATABASE,
                "CREATE EXTENSION citext",
                "CREATE TABLE public.contacts (id int PRIMARY KEY, email citext, changed timestamptz)",
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN NEW.changed := now(); RETURN NEW; END $$",
                "CREATE TRIGGER contacts_touch BEFORE UPDATE ON public.contacts FOR EACH ROW"
                        + " WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION touch()");
    }
}
