"""Account lifecycle at scale.

1. First import of N employees from an HR file (plan + apply: validation, reconciliation, joiners created in
   groups, General Member granted, invitations queued for mail, links kept, all audited) vs a raw
   ``executemany`` insert of the same rows: every row the import left in the database (accounts,
   memberships, grants, invitations, plan items, links, operation-log entries, mail tasks), taken out and
   put back in one transaction (``_replay``). Target: ratio ≤ 3. The ratio against the member and
   membership rows alone is printed beside it.
2. Incremental import of the same file with 1% of the rows changed (half of them movers, half a new title):
   target ≤ 10% of the first import's time.
3. SCIM user creations per second over HTTP (``POST /scim/v2/Users`` through the full Django stack, the
   way Entra ID provisions), beside the same creations through the directory action without HTTP.
4. From a leaver event (a signed HR webhook POST) to the account being suspended, sessions revoked:
   p50/p95 over 50 events. Target p95 < 1 s. The event is applied inside the request, so no worker lag adds.
5. kill -9 during the first import's apply (a separate ``harbour import hr --apply`` process killed part-way),
   then the same command again: every employee has exactly one account (no duplicate, none lost).

Full size: 100,000 employees in 200 departments. ``--quick``: 5,000 in 20.
Runs on SQLite and, when reachable, PostgreSQL (``--database-url`` to choose the server).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _replay
from _harness import (
    DEFAULT_PG,
    ROOT,
    child_setup,
    figure,
    fresh_database,
    info,
    percentile,
    postgres_available,
    report,
    run_child,
)
from directory import _raw_insert

SCIM_USERS = 300
LEAVER_EVENTS = 50


def _hr_file(n: int, departments: list[Any], *, changed: int = 0, domain: str = "bench.hk") -> bytes:
    """The HR export: n employees; the first ``changed`` rows differ (even rows move, odd rows retitle)."""
    lines = ["employee number,email,name,department,title"]
    for i in range(n):
        department = departments[i % len(departments)]
        title = "Clerk"
        if i < changed:
            if i % 2 == 0:
                department = departments[(i + 1) % len(departments)]
            else:
                title = "Senior Clerk"
        lines.append(f"E{i:07d},person{i}@{domain},Person {i:06d},{department.name},{title}")
    return ("\n".join(lines) + "\n").encode()


def _setup(n: int, n_departments: int) -> tuple[Any, Any, list[Any]]:
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    tenant = actions.create_tenant(None, slug="bench", display_name="Bench Ltd", email_domains=["bench.hk"])
    system = SystemActor(tenant.id, "bench")
    change_subscription(system, get_plan("professional"), n + 2 * SCIM_USERS + 100, "annual")
    departments = [actions.create_department(system, name=f"Team {i:03d}") for i in range(n_departments)]
    return tenant, system, departments


def _import(system: Any, data: bytes) -> tuple[float, Any]:
    from harbour.lifecycle.actions import apply_run, plan_file_import

    start = time.perf_counter()
    run = plan_file_import(system, data, "hr.csv")
    run = apply_run(system, run)
    return time.perf_counter() - start, run


def _scim(tenant: Any, system: Any, departments: list[Any]) -> dict[str, float]:
    """SCIM creations over HTTP, and the same number through the directory action (baseline)."""
    from django.test import Client

    from harbour.directory import actions
    from harbour.lifecycle.scim.tokens import mint_scim_token

    token = mint_scim_token(system, name="bench")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    start = time.perf_counter()
    for i in range(SCIM_USERS):
        body = {
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            ],
            "userName": f"scim{i}@bench.hk",
            "externalId": f"S{i:05d}",
            "active": True,
            "displayName": f"Scim Person {i}",
            "name": {"givenName": "Scim", "familyName": f"Person {i}"},
            "emails": [{"type": "work", "primary": True, "value": f"scim{i}@bench.hk"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": f"S{i:05d}",
                "department": departments[i % len(departments)].name,
            },
        }
        response = client.post("/scim/v2/Users", json.dumps(body), content_type="application/scim+json")
        assert response.status_code == 201, response.content[:300]
    http_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(SCIM_USERS):
        actions.invite_member(
            system,
            actions.MemberSpec(
                email=f"direct{i}@bench.hk",
                name=f"Direct Person {i}",
                employee_number=f"D{i:05d}",
                departments=[departments[i % len(departments)]],
            ),
        )
    direct_seconds = time.perf_counter() - start
    return {"scim_per_second": SCIM_USERS / http_seconds, "direct_per_second": SCIM_USERS / direct_seconds}


def _leaver_latency(tenant: Any, system: Any) -> list[float]:
    """Signed leave events through the HTTP stack; the clock stops when the account reads suspended."""
    from django.test import Client

    from harbour.directory.models import Member, MemberState
    from harbour.lifecycle.webhook import create_webhook, signature

    webhook, secret = create_webhook(system)
    client = Client(HTTP_HOST="localhost")
    leavers = list(
        Member.objects.for_tenant(tenant)
        .filter(state=MemberState.INVITED)
        .order_by("-employee_number")[:LEAVER_EVENTS]
    )
    samples = []
    for i, member in enumerate(leavers):
        body = json.dumps(
            {
                "id": f"leave-{i}",
                "type": "leave",
                "employee": {
                    "employee_number": member.employee_number,
                    "email": member.email,
                    "name": member.name,
                },
            }
        ).encode()
        stamp = str(int(time.time()))
        start = time.perf_counter()
        response = client.post(
            f"/hooks/hr/{webhook.pk}/",
            body,
            content_type="application/json",
            HTTP_X_HARBOUR_TIMESTAMP=stamp,
            HTTP_X_HARBOUR_SIGNATURE=signature(secret, stamp, body),
        )
        state = Member.objects.for_tenant(tenant).values_list("state", flat=True).get(pk=member.pk)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
        assert state in (MemberState.SUSPENDED, MemberState.DEACTIVATED), state
    return samples


def _killed_import(n: int, departments: list[Any], env: dict[str, str]) -> dict[str, Any]:
    """Apply the file in another process, kill -9 it part-way, run it again; count the accounts."""
    from harbour.directory.models import Member

    path = Path(tempfile.mkdtemp(prefix="harbour-kill-")) / "hr.csv"
    path.write_bytes(_hr_file(n, departments, domain="kill.hk"))
    command = [
        sys.executable,
        "-m",
        "harbour.cli",
        "import",
        "hr",
        str(path),
        "--tenant",
        "bench-kill",
        "--apply",
    ]
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    proc = subprocess.Popen(command, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from harbour.core.models import Tenant

    tenant = Tenant.objects.get(slug="bench-kill")
    target = n // 3
    deadline = time.monotonic() + 1800
    while Member.objects.for_tenant(tenant).count() < target and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    killed_at = Member.objects.for_tenant(tenant).count()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rerun = subprocess.run(command, env=full_env, capture_output=True, text=True, check=False)
    if rerun.returncode != 0:  # shown in the report: a failed rerun is a finding, not a crash of the bench
        print(f"  rerun failed ({rerun.returncode}):\n{rerun.stdout[-1500:]}\n{rerun.stderr[-1500:]}")
    members = Member.objects.for_tenant(tenant)
    accounts = members.count()
    distinct_numbers = members.values("employee_number").distinct().count()
    return {
        "killed_at": killed_at,
        "accounts": accounts,
        "distinct": distinct_numbers,
        "converged": rerun.returncode == 0 and accounts == n and distinct_numbers == n,
    }


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.db import connection

    from harbour.core.models import Tenant
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions
    from harbour.directory.models import Member
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    n = args.members
    tenant, system, departments = _setup(n, args.departments)
    other = Tenant.objects.create(slug="bench-raw", display_name="Raw Ltd")
    raw_seconds = _raw_insert(other.id, departments, n, 0, "raw.hk")

    before = _replay.snapshot()
    first_seconds, run = _import(system, _hr_file(n, departments))
    assert Member.objects.for_tenant(tenant).count() == n, "the first import did not create everyone"
    written = _replay.harvest(before)
    _replay.remove(written)
    same_rows_seconds = _replay.timed_insert(written)
    assert Member.objects.for_tenant(tenant).count() == n, "the replayed rows are not all back"
    print(
        f"  rows the first import wrote: {_replay.count(written)} in {len(written)} tables: "
        + ", ".join(f"{t} {len(r)}" for t, (_c, r) in sorted(written.items(), key=lambda kv: -len(kv[1][1])))
    )
    assert not run.counts["outcomes"].get("failed"), run.counts
    changed = max(2, n // 100)
    incremental_seconds, run = _import(system, _hr_file(n, departments, changed=changed))
    outcomes = run.counts["outcomes"]
    assert outcomes.get("applied", 0) == changed, outcomes
    print(
        f"  [{connection.vendor}] first import {first_seconds:.2f}s, raw insert {raw_seconds:.2f}s,"
        f" incremental ({changed} changed) {incremental_seconds:.2f}s"
    )
    scim = _scim(tenant, system, departments)
    latency = _leaver_latency(tenant, system)

    kill_tenant = actions.create_tenant(
        None, slug="bench-kill", display_name="Kill Ltd", email_domains=["kill.hk"]
    )
    kill_system = SystemActor(kill_tenant.id, "bench")
    change_subscription(kill_system, get_plan("professional"), n + 10, "annual")
    kill_departments = [actions.create_department(kill_system, name=d.name) for d in departments]
    env = {"HARBOUR_DATA_DIR": os.environ["HARBOUR_DATA_DIR"]}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    killed = _killed_import(n, kill_departments, env)
    result = {
        "vendor": connection.vendor,
        "first_seconds": first_seconds,
        "raw_seconds": raw_seconds,
        "same_rows_seconds": same_rows_seconds,
        "rows_written": _replay.count(written),
        "incremental_seconds": incremental_seconds,
        "changed": changed,
        **scim,
        "leaver_p50": percentile(latency, 50),
        "leaver_p95": percentile(latency, 95),
        **{f"kill_{k}": v for k, v in killed.items()},
    }
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int)
    parser.add_argument("--departments", type=int)
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
    kinds = ["sqlite"]
    if not args.sqlite_only and postgres_available(args.database_url):
        kinds.append("postgresql")
    print(f"lifecycle bench: {members} employees, {departments} departments")
    figures = []
    for kind in kinds:
        with fresh_database(kind, args.database_url) as env:
            r = run_child(Path(__file__), ["--members", str(members), "--departments", str(departments)], env)
        figures += [
            figure(
                f"{kind}: first import / raw insert of the same rows",
                r["first_seconds"] / r["same_rows_seconds"],
                3.0,
                unit="x",
            ),
            info(f"{kind}: first import seconds", r["first_seconds"], unit="s"),
            info(
                f"{kind}: raw insert of the same {r['rows_written']} rows (baseline)",
                r["same_rows_seconds"],
                unit="s",
            ),
            info(
                f"{kind}: first import / raw insert of member + membership rows only",
                r["first_seconds"] / r["raw_seconds"],
                unit="x",
            ),
            figure(
                f"{kind}: incremental import (1% changed) / first import",
                r["incremental_seconds"] / r["first_seconds"],
                0.10,
                unit="x",
            ),
            info(f"{kind}: incremental import seconds", r["incremental_seconds"], unit="s"),
            info(f"{kind}: SCIM user creations per second over HTTP", r["scim_per_second"], unit="/s"),
            info(f"{kind}: invite_member per second, no HTTP (baseline)", r["direct_per_second"], unit="/s"),
            info(f"{kind}: leaver event → suspended p50", r["leaver_p50"] * 1000, unit="ms"),
            figure(f"{kind}: leaver event → suspended p95", r["leaver_p95"] * 1000, 1000.0, unit="ms"),
            {
                "name": f"{kind}: kill -9 at {r['kill_killed_at']} accounts, rerun → accounts (distinct)",
                "value": f"{r['kill_accounts']} ({r['kill_distinct']})",
                "target": members,
                "unit": "",
                "met": bool(r["kill_converged"]),
            },
        ]
    report(figures, {"members": members, "departments": departments})


if __name__ == "__main__":
    main()
