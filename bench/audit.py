"""The operation log at scale.

1. Ingest N events through the real write path (``record_many``: chained hashes, head lock, one transaction
   per 1,000 events) vs a raw batched insert of the same rows. Target: the write path reaches ≥ 50% of the
   raw rate.
2. Verify the N-event chain (``verify_company``). Target: < 15 s at 1M.
3. Search by person and a 30-day window at M events on PostgreSQL (``search_log`` + a 50-entry page, as the
   API runs it). Target: p95 < 100 ms at 10M. Baseline: the bare SQL of the same query.
4. Export the N events as CSV in a separate process; its peak memory (RSS). Target: < 200 MB at 1M.
   Baseline: the same process's RSS before exporting.

Full size: N = 1,000,000 and M = 10,000,000. ``--quick``: N = 20,000 and M = 200,000 (same figures, small).
Ingest, verify and export run on SQLite and PostgreSQL; the search runs on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    DEFAULT_PG,
    child_setup,
    figure,
    fresh_database,
    info,
    percentile,
    postgres_available,
    report,
    run_child,
)

BATCH = 1000


def _entries(n: int, start: int) -> list[Any]:
    from harbour.audit.actions import Entry, TargetRef

    return [
        Entry(
            TargetRef("member", uuid.uuid4(), f"Person {i} <p{i}@bench.hk>"),
            after={"name": f"Person {i}", "email": f"p{i}@bench.hk", "title": "Clerk", "state": "active"},
        )
        for i in range(start, start + n)
    ]


def _ingest(n: int) -> tuple[Any, float]:
    from harbour.audit.actions import record_many
    from harbour.core.databases import tenant_transaction
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions

    tenant = actions.create_tenant(None, slug="log", display_name="Log Ltd")
    system = SystemActor(tenant.id, "bench")
    seconds = 0.0
    for start in range(0, n, BATCH):
        entries = _entries(min(BATCH, n - start), start)
        began = time.perf_counter()
        with tenant_transaction(tenant.id):
            record_many(system, "member.imported", entries)
        seconds += time.perf_counter() - began
    return tenant, seconds


def _raw_insert(n: int) -> float:
    """The same rows (values, JSON, hash-sized strings) through executemany, 1,000 per transaction."""
    import orjson
    from django.db import connection, transaction
    from django.utils import timezone

    from harbour.core.models import Tenant

    tenant = Tenant.objects.create(slug="raw-log", display_name="Raw Ltd")
    sqlite = connection.vendor == "sqlite"
    key = tenant.id.hex if sqlite else tenant.id
    at = timezone.now()
    columns = (
        "id, tenant_id, seq, occurred_at, kind, actor_type, actor_id, actor_label, target_type, target_id,"
        " target_label, subject_id, before, after, data, ip, user_agent, request_id, prev_hash, hash"
    )
    sql = f"INSERT INTO audit_auditevent ({columns}) VALUES ({', '.join(['%s'] * 20)})"
    seconds = 0.0
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            target = uuid.uuid4()
            after = orjson.dumps(
                {"name": f"Person {i}", "email": f"p{i}@bench.hk", "title": "Clerk"}
            ).decode()
            rows.append(
                (
                    uuid.uuid4().hex if sqlite else uuid.uuid4(),
                    key,
                    i + 1,
                    at,
                    "member.imported",
                    "system",
                    None,
                    "bench",
                    "member",
                    str(target),
                    f"Person {i} <p{i}@bench.hk>",
                    target.hex if sqlite else target,
                    None,
                    after,
                    "{}",
                    None,
                    "",
                    "",
                    "0" * 64,
                    "f" * 64,
                )
            )
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        seconds += time.perf_counter() - began
    return seconds


def _export_peak_rss(tenant_id: uuid.UUID) -> tuple[float, float, int]:
    """Export in a fresh process (this one has seen the whole ingest); its RSS before and at the peak."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "harbour.settings"}
    proc = subprocess.run(
        [sys.executable, __file__, "--export-child", str(tenant_id)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["before_mb"], result["peak_mb"], result["bytes"]


def export_child(tenant_id: str) -> None:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    django.setup()
    from harbour.audit.models import AuditEvent
    from harbour.oplog.export import csv_lines

    entries = AuditEvent.objects.for_tenant(uuid.UUID(tenant_id))
    entries.filter(seq=1).exists()  # connect, load the code paths: the baseline is a ready process
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    written = 0
    with open(os.devnull, "w") as sink:
        for chunk in csv_lines(entries):
            sink.write(chunk)
            written += len(chunk)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"before_mb": before, "peak_mb": peak, "bytes": written}))


def _fill_for_search(m: int) -> tuple[Any, list[uuid.UUID]]:
    """M entries of one company over two years by 10,000 people, written by SQL (search needs no hashes)."""
    from django.db import connection

    from harbour.core.models import Tenant
    from harbour.core.permissions import SystemActor
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    tenant = Tenant.objects.create(slug="big-log", display_name="Big Log Ltd")
    # The full log is a Professional feature; the plan change is the company's first entries.
    change_subscription(SystemActor(tenant.id, "bench"), get_plan("professional"), 100, "annual")
    step = 1_000_000
    with connection.cursor() as cursor:
        for start in range(0, m, step):
            stop = min(m, start + step)
            cursor.execute(
                """
                INSERT INTO audit_auditevent (id, tenant_id, seq, occurred_at, kind, actor_type, actor_id,
                    actor_label, target_type, target_id, target_label, subject_id, before, after, data, ip,
                    user_agent, request_id, prev_hash, hash)
                SELECT md5('e' || g)::uuid, %s, g + 100,
                    now() - make_interval(secs => (%s - g) * (63072000.0 / %s)),
                    (ARRAY['member.updated','member.suspended','grant.created','login.succeeded',
                           'file.downloaded','department.moved'])[1 + g %% 6],
                    'member', md5('a' || (g %% 10000))::uuid, 'Person ' || (g %% 10000),
                    'member', md5('s' || (g %% 9973))::text, 'Target ' || (g %% 9973),
                    md5('a' || ((g * 7) %% 10000))::uuid, NULL, '{"n": 1}', '{}', NULL, '', '',
                    repeat('0', 64), repeat('f', 64)
                FROM generate_series(%s, %s) AS g
                """,
                [tenant.id, m, m, start + 1, stop],
            )
            print(f"  search data: {stop:,} of {m:,} entries", flush=True)
        cursor.execute("VACUUM (ANALYZE) audit_auditevent")
    people = [uuid.UUID(__import__("hashlib").md5(f"a{i}".encode()).hexdigest()) for i in range(0, 10000, 97)]
    return tenant, people


def _search(m: int, queries: int) -> dict[str, float]:
    import datetime as dt

    from django.db import connection

    from harbour.core.models import Tenant
    from harbour.core.permissions import AccessSet
    from harbour.oplog.queries import LogFilters, log_page, search_log

    tenant, people = _fill_for_search(m)
    tenant = Tenant.objects.get(pk=tenant.pk)

    class Reader:
        tenant_id = tenant.id

        def access(self) -> AccessSet:
            return AccessSet.build([("audit.view", None)])

    reader = Reader()
    today = dt.date.today()
    samples, baseline = [], []
    for q in range(queries):
        person = people[q % len(people)]
        until = today - dt.timedelta(days=(q * 37) % 700)
        since = until - dt.timedelta(days=30)
        filters = LogFilters(person=person, since=since, until=until)
        began = time.perf_counter()
        page = log_page(search_log(reader, tenant, filters), None, 50)
        samples.append(time.perf_counter() - began)
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, seq, kind, actor_label, target_label, occurred_at FROM audit_auditevent"
                " WHERE tenant_id = %s AND (actor_id = %s OR subject_id = %s)"
                " AND occurred_at >= %s AND occurred_at < %s ORDER BY seq DESC LIMIT 51",
                [tenant.id, person, person, since, until + dt.timedelta(days=1)],
            )
            cursor.fetchall()
        baseline.append(time.perf_counter() - began)
        assert page.items is not None
    return {
        "search_p50": percentile(samples, 50) * 1000,
        "search_p95": percentile(samples, 95) * 1000,
        "search_baseline_p95": percentile(baseline, 95) * 1000,
    }


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.db import connection

    from harbour.audit.chain import verify_company

    result: dict[str, Any] = {"vendor": connection.vendor}
    raw = _raw_insert(args.events)
    tenant, recorded = _ingest(args.events)
    result.update(ingest_seconds=recorded, raw_seconds=raw, ingest_ratio=raw / recorded)
    began = time.perf_counter()
    verdict = verify_company(tenant.id)
    result["verify_seconds"] = time.perf_counter() - began
    assert verdict.intact and verdict.entries >= args.events, verdict
    result["export_before_mb"], result["export_peak_mb"], result["export_bytes"] = _export_peak_rss(tenant.id)
    if connection.vendor == "postgresql" and args.search_events:
        result.update(_search(args.search_events, args.queries))
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--events", type=int)
    parser.add_argument("--search-events", type=int)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    args = parser.parse_args()
    if args.export_child:
        export_child(args.export_child)
        return
    if args.child:
        child(args)
        return
    events = args.events or (20_000 if args.quick else 1_000_000)
    search_events = args.search_events or (200_000 if args.quick else 10_000_000)
    print(f"audit bench: {events:,} events through the write path; search at {search_events:,} events")
    figures: list[dict[str, Any]] = []
    kinds = ["sqlite"] + (["postgresql"] if postgres_available(args.database_url) else [])
    for kind in kinds:
        child_args = ["--events", str(events), "--queries", str(args.queries)]
        child_args += ["--search-events", str(search_events if kind == "postgresql" else 0)]
        with fresh_database(kind, args.database_url) as env:
            r = run_child(Path(__file__), child_args, env)
        v = r["vendor"]
        figures += [
            figure(f"{v}: ingest, write path rate / raw rate", r["ingest_ratio"], 0.5, lower_is_better=False),
            info(f"{v}: ingest, write path seconds", r["ingest_seconds"], unit="s"),
            info(f"{v}: ingest, raw insert seconds (baseline)", r["raw_seconds"], unit="s"),
            figure(
                f"{v}: verify {events:,} entries", r["verify_seconds"], 15.0 * events / 1_000_000, unit="s"
            ),
            figure(f"{v}: export peak RSS", r["export_peak_mb"], 200.0, unit="MB"),
            info(f"{v}: export process RSS before exporting (baseline)", r["export_before_mb"], unit="MB"),
        ]
        if "search_p95" in r:
            figures += [
                info(f"{v}: search person + 30 days p50", r["search_p50"], unit="ms"),
                figure(
                    f"{v}: search person + 30 days p95 at {search_events:,}",
                    r["search_p95"],
                    100.0,
                    unit="ms",
                ),
                info(f"{v}: bare SQL of the search p95 (baseline)", r["search_baseline_p95"], unit="ms"),
            ]
    report(figures, {"events": events, "search_events": search_events})


if __name__ == "__main__":
    main()
