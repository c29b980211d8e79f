"""Shared by the reports of the outage benchmarks (bench/outage-pgbouncer.sh, bench/cutover-logical.sh): step times
from pgmigrate's journal, the outage steps of a plan, and the load client's figures (io.pgmigrate.bench.LedgerLoad's
JSON line)."""
import json
import re
from datetime import datetime, timezone


def at(s):
    """A journal timestamp (ISO-8601, UTC, up to nanoseconds) as epoch seconds."""
    m = re.match(r"(.*T\d\d:\d\d:\d\d)(\.\d+)?Z", s)
    return datetime.fromisoformat(m.group(1) + (m.group(2) or ".0")[:7]).replace(tzinfo=timezone.utc).timestamp()


def step_times(journal):
    """(started, finished): step id → epoch seconds of its last step-started and step-finished events (journals of
    format 2; the STEP_STARTED/STEP_FINISHED entries of earlier journals are read too, for --report of old runs)."""
    started, finished = {}, {}
    for line in open(journal):
        try:
            e = json.loads(line)
        except ValueError:
            continue  # a line torn by a crash
        if e.get("step") is None:
            continue
        if e["event"] in ("step-started", "STEP_STARTED"):
            started[e["step"]] = at(e["at"])
        elif e["event"] in ("step-finished", "STEP_FINISHED") and not e.get("foundDone"):
            finished[e["step"]] = at(e["at"])
    return started, finished


def outage_steps(plan_file, phase=None):
    """The ids of the plan's steps marked inOutage, in order; only those of PHASE (its id) when given."""
    plan = json.load(open(plan_file))
    return [s["id"] for p in plan["phases"] if phase is None or p["id"] == phase
            for s in p["steps"] if s.get("inOutage")]


def client_cells(c):
    """The load client's figures: longest gap, latencies, committed, errors, ledger present."""
    return (f"{c['longestGapMs'] / 1000:.3f} s", f"{c['latencyP50Ms']:.1f} / {c['latencyP90Ms']:.1f} / "
            f"{c['latencyP99Ms']:.1f} / {c['latencyMaxMs']:.1f} ms", str(c["committed"]), str(c["errors"]),
            f"{c.get('presentPct', float('nan')):.2f} %")


def client_ok(c):
    """No error seen and every committed row present on the serving cluster."""
    return c["errors"] == 0 and c.get("presentPct") == 100.0
