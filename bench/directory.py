"""Directory at scale.

1. Bulk-create N members in D departments through the real action path (validation, permission checks,
   memberships, one audit event per member) vs a raw SQL bulk insert of the same member and membership rows.
   Target: ratio ≤ 3.
2. The member-list API (``GET /api/v1/members``) at N members, page sizes 50 and 500: p50/p95 latency through
   the full HTTP stack (target p95 < 50 ms on PostgreSQL) and the query count per request, which must not
   grow with the page size. Baseline: a bare ``SELECT`` of the same page.

Full size: 100,000 members in 200 departments. ``--quick``: 5,000 members in 20 departments.
Runs on SQLite and, when reachable, PostgreSQL (``--database-url`` to choose the server).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    DEFAULT_PG,
    child_setup,
    fresh_database,
    percentile,
    postgres_available,
    report,
    run_child,
)


def _specs(departments: list[Any], n: int, offset: int, domain: str) -> list[Any]:
    from harbour.directory.actions import MemberSpec
    from harbour.directory.models import MemberState

    return [
        MemberSpec(
            email=f"person{offset + i}@{domain}",
            name=f"Person {offset + i:06d}",
            name_zh="陳大文",
            employee_number=f"E{offset + i:07d}",
            title="Clerk",
            departments=[departments[(offset + i) % len(departments)]],
            state=MemberState.ACTIVE,
        )
        for i in range(n)
    ]


def _raw_insert(tenant_id: Any, departments: list[Any], n: int, offset: int, domain: str) -> float:
    """The baseline: the same member + membership rows through executemany, in one transaction."""
    import uuid

    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    members, memberships = [], []
    for i in range(offset, offset + n):
        member_id = uuid.uuid4()
        members.append(
            (
                member_id.hex if connection.vendor == "sqlite" else member_id,
                tenant_id.hex if connection.vendor == "sqlite" else tenant_id,
                now,
                now,
                f"Person {i:06d}",
                "陳大文",
                f"person{i}@{domain}",
                "",
                f"E{i:07d}",
                "Clerk",
                False,
                "active",
                now,
            )
        )
        dept = departments[i % len(departments)].pk
        memberships.append(
            (
                uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
                tenant_id.hex if connection.vendor == "sqlite" else tenant_id,
                now,
                now,
                member_id.hex if connection.vendor == "sqlite" else member_id,
                dept.hex if connection.vendor == "sqlite" else dept,
                True,
            )
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in range(0, n, 1000):
            cursor.executemany(
                "INSERT INTO directory_member (id, tenant_id, created_at, updated_at, name, name_zh, email,"
                " mobile, employee_number, title, is_external, state, state_changed_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                members[chunk : chunk + 1000],
            )
            cursor.executemany(
                "INSERT INTO directory_membership (id, tenant_id, created_at, updated_at, member_id,"
                " department_id, is_primary) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                memberships[chunk : chunk + 1000],
            )
    return time.perf_counter() - start


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from harbour.core.models import Tenant
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions
    from harbour.directory.models import BuiltinRole, Role

    n, n_departments = args.members, args.departments
    tenant = actions.create_tenant(None, slug="bench", display_name="Bench Ltd", email_domains=["bench.hk"])
    system = SystemActor(tenant.id, "bench")
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    change_subscription(system, get_plan("professional"), n + 10, "annual")  # seats for everyone
    tops = [
        actions.create_department(system, name=f"Division {i}") for i in range(max(1, n_departments // 10))
    ]
    departments = list(tops)
    i = 0
    while len(departments) < n_departments:
        departments.append(actions.create_department(system, name=f"Team {i}", parent=tops[i % len(tops)]))
        i += 1

    # Baseline in a second tenant so both inserts meet the same table sizes.
    other = Tenant.objects.create(slug="bench-raw", display_name="Raw Ltd")
    raw_seconds = _raw_insert(other.id, departments, n, 0, "raw.hk")

    specs = _specs(departments, n, 0, "bench.hk")
    start = time.perf_counter()
    actions.bulk_create_members(system, specs)
    action_seconds = time.perf_counter() - start
    print(
        f"  [{connection.vendor}] {n} members: action path {action_seconds:.2f}s,"
        f" raw insert {raw_seconds:.2f}s"
    )

    # A member holding Administrator, with a token, reads the list through the HTTP API.
    admin = actions.invite_member(
        system, actions.MemberSpec(email="admin@bench.hk", name="Admin", state="active")
    )
    actions.grant_role(system, admin, Role.objects.for_tenant(tenant).get(builtin=BuiltinRole.ADMINISTRATOR))
    from harbour.identity.tokens import create_api_token

    _, token = create_api_token(admin, admin, name="bench", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    figures: dict[str, Any] = {
        "vendor": connection.vendor,
        "action_seconds": action_seconds,
        "raw_seconds": raw_seconds,
    }
    if connection.vendor == "postgresql":
        # Measure the steady state, not the minutes after a 100k-row load when autovacuum is busy with
        # the same tables: vacuum them now, as autovacuum shortly would.
        with connection.cursor() as c:
            c.execute("VACUUM (ANALYZE) directory_member, directory_membership, audit_auditevent")
    client.get("/api/v1/members?limit=1")  # warm-up: the token's once-a-minute last-used stamp happens here
    # A server process does not hold the objects this process made while seeding; like harbour.asgi at
    # start-up, move what exists now out of the collector's way so its full scans do not time the seeding.
    gc.collect()
    gc.freeze()
    for size in (50, 500):
        samples, queries, baseline = [], [], []
        cursor = None
        for _ in range(args.requests):
            url = f"/api/v1/members?limit={size}" + (f"&cursor={cursor}" if cursor else "")
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:300]
            cursor = response.json().get("next_cursor")
            if len(queries) < 5:
                # Counted on separate requests: capturing SQL text costs time the server would not spend.
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                queries.append(len(ctx.captured_queries))
            start = time.perf_counter()
            with connection.cursor() as c:
                c.execute(
                    "SELECT id, name, email FROM directory_member WHERE tenant_id = %s"
                    " ORDER BY name, id LIMIT %s",
                    [tenant.id.hex if connection.vendor == "sqlite" else tenant.id, size],
                )
                c.fetchall()
            baseline.append(time.perf_counter() - start)
        figures[f"p50_{size}"] = percentile(samples, 50) * 1000
        figures[f"p95_{size}"] = percentile(samples, 95) * 1000
        figures[f"baseline_p50_{size}"] = percentile(baseline, 50) * 1000
        figures[f"queries_{size}"] = max(queries)
    print("RESULT " + __import__("json").dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int)
    parser.add_argument("--departments", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument(
        "--database-url", default=DEFAULT_PG, help="PostgreSQL server to create a database on"
    )
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    members = args.members or (5_000 if args.quick else 100_000)
    departments = args.departments or (20 if args.quick else 200)
    requests = args.requests or (30 if args.quick else 100)
    kinds = ["sqlite"]
    if not args.sqlite_only and postgres_available(args.database_url):
        kinds.append("postgresql")
    print(f"directory bench: {members} members, {departments} departments, {requests} requests per page size")
    results = {}
    for kind in kinds:
        with fresh_database(kind, args.database_url) as env:
            results[kind] = run_child(
                Path(__file__),
                ["--members", str(members), "--departments", str(departments), "--requests", str(requests)],
                env,
            )
    from _harness import figure

    figures = []
    for kind, r in results.items():
        ratio = r["action_seconds"] / r["raw_seconds"]
        figures.append(figure(f"{kind}: bulk create, action path / raw insert", ratio, 3.0, unit="x"))
        figures.append(
            figure(f"{kind}: bulk create, action path seconds", r["action_seconds"], float("inf"), unit="s")
        )
        figures.append(
            figure(
                f"{kind}: bulk create, raw insert seconds (baseline)",
                r["raw_seconds"],
                float("inf"),
                unit="s",
            )
        )
        for size in (50, 500):
            target = 50.0 if kind == "postgresql" else float("inf")
            figures.append(
                figure(f"{kind}: GET /members limit={size} p50", r[f"p50_{size}"], target, unit="ms")
            )
            figures.append(
                figure(f"{kind}: GET /members limit={size} p95", r[f"p95_{size}"], target, unit="ms")
            )
            figures.append(
                figure(
                    f"{kind}: bare SELECT limit={size} p50 (baseline)",
                    r[f"baseline_p50_{size}"],
                    float("inf"),
                    unit="ms",
                )
            )
        same = r["queries_50"] == r["queries_500"]
        figures.append(
            {
                "name": f"{kind}: queries per list request (50 vs 500)",
                "value": f"{r['queries_50']} vs {r['queries_500']}",
                "target": "equal",
                "unit": "",
                "met": same,
            }
        )
    for f in figures:
        if f["target"] == float("inf"):
            f["target"] = None
            f["met"] = True
    report(figures, {"members": members, "departments": departments})


if __name__ == "__main__":
    main()
