-- pgmigrate demo: tables of varied types beside pgbench's, with indexes, an enum, a sequence, a view and
-- two extensions. Sizes follow the custom setting pgmigrate.demo_scale (the --scale of pgmigrate demo).
CREATE EXTENSION pgcrypto;
CREATE EXTENSION citext;
CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped');
CREATE SEQUENCE invoice_no START 1000;
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email citext UNIQUE NOT NULL,
    name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    tags text[],
    profile jsonb
);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    state order_state,
    total numeric(12,2),
    placed_at timestamptz,
    ship_to inet,
    token uuid DEFAULT gen_random_uuid(),
    invoice bigint DEFAULT nextval('invoice_no')
);
CREATE INDEX ON orders (placed_at);
CREATE INDEX ON customers USING gin (profile);
INSERT INTO customers (email, name, tags, profile)
    SELECT 'user' || i || '@example.com', 'User ' || i, ARRAY['t' || i % 7], jsonb_build_object('tier', i % 3)
    FROM generate_series(1, 4000 * current_setting('pgmigrate.demo_scale')::int) i;
INSERT INTO orders (customer_id, state, total, placed_at, ship_to)
    SELECT 1 + i % (4000 * current_setting('pgmigrate.demo_scale')::int),
           (ARRAY['new', 'paid', 'shipped']::order_state[])[1 + i % 3], (i % 500) * 1.25,
           now() - (i || ' minutes')::interval, ('10.0.' || i % 250 || '.' || i % 200)::inet
    FROM generate_series(1, 20000 * current_setting('pgmigrate.demo_scale')::int) i;
CREATE VIEW recent_orders AS SELECT * FROM orders WHERE placed_at > now() - interval '1 day';
ANALYZE;
