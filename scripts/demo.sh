#!/usr/bin/env bash
# The demo: a throw-away PostgreSQL 15 cluster with realistic data (pgbench tables plus tables of
# varied types, indexes, a sequence, a view and extensions), an inventory for it, `pgmigrate plan`
# to PostgreSQL 18, then `pgmigrate execute` (local transport) and `pgmigrate status`. Prints where the
# plan is, the outcome and the measured outage. Leaves the upgraded cluster running so you can look at
# it; `scripts/demo.sh --stop` removes it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/cluster.sh"
demo=/tmp/pgmigrate-demo
if [ "${1:-}" = "--stop" ]; then
  pgm_load_toolchain "$root"
  pgm_stop_cluster "$demo" "$PGMIGRATE_PG15_BIN"
  [ -f "$demo/data18/postmaster.pid" ] && pgm_as_owner "$PGMIGRATE_PG18_BIN/pg_ctl" -D "$demo/data18" -m fast -w stop >/dev/null
  rm -rf "$demo"; echo "demo clusters removed"; exit 0
fi
echo "== toolchain (PostgreSQL 15 and 18, sshd, pgbouncer; the first run builds PostgreSQL 18: a few minutes)"
pgm_load_toolchain "$root"
if [ -d "$demo" ]; then "$0" --stop >/dev/null; fi
port=$(pgm_free_port); tport=$(pgm_free_port)
echo "== a PostgreSQL 15 cluster in $demo/data on port $port"
pgm_new_cluster "$demo" "$PGMIGRATE_PG15_BIN" "$port"
psql=("$PGMIGRATE_PG15_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "CREATE DATABASE shop"
"$PGMIGRATE_PG15_BIN/pgbench" -i -q -s 5 -h 127.0.0.1 -p "$port" -U postgres shop 2>/dev/null
"${psql[@]}" -d shop <<'SQL'
CREATE EXTENSION pgcrypto;
CREATE EXTENSION citext;
CREATE TYPE order_state AS ENUM ('new', 'paid', 'shipped');
CREATE SEQUENCE invoice_no START 1000;
CREATE TABLE customers (id bigserial PRIMARY KEY, email citext UNIQUE NOT NULL, name text,
                        created_at timestamptz NOT NULL DEFAULT now(), tags text[], profile jsonb);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers, state order_state,
                     total numeric(12,2), placed_at timestamptz, ship_to inet, token uuid DEFAULT gen_random_uuid(),
                     invoice bigint DEFAULT nextval('invoice_no'));
CREATE INDEX ON orders (placed_at);
CREATE INDEX ON customers USING gin (profile);
INSERT INTO customers (email, name, tags, profile)
  SELECT 'user' || i || '@example.com', 'User ' || i, ARRAY['t' || i % 7], jsonb_build_object('tier', i % 3)
  FROM generate_series(1, 20000) i;
INSERT INTO orders (customer_id, state, total, placed_at, ship_to)
  SELECT 1 + i % 20000, (ARRAY['new','paid','shipped']::order_state[])[1 + i % 3], (i % 500) * 1.25,
         now() - (i || ' minutes')::interval, ('10.0.' || i % 250 || '.' || i % 200)::inet
  FROM generate_series(1, 100000) i;
CREATE VIEW recent_orders AS SELECT * FROM orders WHERE placed_at > now() - interval '1 day';
ANALYZE;
SQL
pgm_inventory "$demo/pgmigrate.yaml" demo "$demo" "$port" "$tport" swap
echo "== inventory: $demo/pgmigrate.yaml"
echo "== pgmigrate plan"
set +e
"$root/bin/pgmigrate" plan -i "$demo/pgmigrate.yaml" -o "$demo/plans"
rc=$?
set -e
echo
echo "Read the plan:   less $demo/plans/demo.plan.md     (exit code of plan: $rc)"
[ "$rc" -eq 0 ] || exit "$rc"
echo "== pgmigrate execute (PostgreSQL 15 -> 18, --swap)"
set +e
"$root/bin/pgmigrate" execute -i "$demo/pgmigrate.yaml" "$demo/plans/demo.plan.json"
rc=$?
set -e
echo "== pgmigrate status"
"$root/bin/pgmigrate" status "$demo/plans/demo.plan.json" | head -n 1
echo
echo "Exit code of execute: $rc. The journal: $demo/plans/demo.journal.jsonl"
echo "The upgraded cluster: psql -h 127.0.0.1 -p $port -U postgres shop"
echo "Remove the demo:      scripts/demo.sh --stop"
