"""DingTalk sync at the API's rate limit.

A company of N members in D departments (two levels) connects an empty DingTalk tenant (the emulator, in its
own process, throttling at 20 requests per second per app per API as DingTalk's standard edition does),
adopts it (nothing to adopt) and applies the first sync: every department and every member created in
DingTalk, level by level, each outcome committed as it happens.

Figures:
1. Achieved API calls per second during the apply, as a share of the per-API limit (the apply calls one API
   at a time, so the limit is the ceiling). Target ≥ 90%.
2. Throttle errors surfaced (items failed on a throttle code, or a run stopped by one). Target 0.
Beside them, measured in the same run against the same emulator: a naive client that sends the same kind
of call as fast as it can, without Harbour's limiter (its share of answers that were throttle errors), and
the throttle answers Harbour's client met and retried (should be none).
Also printed: the dry run (reading DingTalk's directory back, level by level, and comparing).

Full size: 10,000 members in 100 departments. ``--quick``: 400 in 10 (same figures, under a minute a
database). Runs on SQLite and, when reachable, PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    DEFAULT_PG,
    ROOT,
    child_setup,
    figure,
    fresh_database,
    info,
    postgres_available,
    report,
    run_child,
)

APP_KEY = "benchappkey"
APP_SECRET = "benchappsecret"
QPS = 20
NAIVE_CALLS = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def emulator(qps: int) -> Iterator[str]:
    """The DingTalk emulator in its own process (so it never shares the sync's interpreter)."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.dingtalk_emulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--appkey",
            APP_KEY,
            "--appsecret",
            APP_SECRET,
            "--qps",
            str(qps),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the DingTalk emulator did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _naive_client(url: str) -> dict[str, Any]:
    """The baseline: department reads as fast as one connection allows, no limiter, no retry."""
    import httpx

    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.get("/gettoken", params={"appkey": APP_KEY, "appsecret": APP_SECRET}).json()[
            "access_token"
        ]
        throttled = 0
        started = time.perf_counter()
        for _ in range(NAIVE_CALLS):
            body = http.post(
                "/topapi/v2/department/get", params={"access_token": token}, json={"dept_id": 1}
            ).json()
            if body.get("errcode") == 88 and str(body.get("sub_code")) == "90018":
                throttled += 1
        seconds = time.perf_counter() - started
    return {"naive_calls_per_s": NAIVE_CALLS / seconds, "naive_throttled_share": throttled / NAIVE_CALLS}


def _company(n: int, n_departments: int) -> tuple[Any, Any]:
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions
    from harbour.directory.actions.members import MemberSpec
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    tenant = actions.create_tenant(None, slug="bench", display_name="Bench Ltd", email_domains=["bench.hk"])
    system = SystemActor(tenant.id, "bench")
    change_subscription(system, get_plan("professional"), n + 100, "annual")
    tops = [
        actions.create_department(system, name=f"Division {i:02d}")
        for i in range(max(1, n_departments // 10))
    ]
    teams = [
        actions.create_department(system, name=f"Team {i:03d}", parent=tops[i % len(tops)])
        for i in range(n_departments - len(tops))
    ] or tops
    specs = [
        MemberSpec(
            email=f"person{i}@bench.hk",
            name=f"Person {i:06d}",
            mobile=f"+86138{i:08d}",
            employee_number=f"E{i:07d}",
            title="Clerk",
            departments=[teams[i % len(teams)]],
        )
        for i in range(n)
    ]
    actions.bulk_create_members(system, specs)
    return tenant, system


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.db import connection as db

    from harbour.integrations.dingtalk.actions import sync
    from harbour.integrations.dingtalk.actions.connection import connect
    from harbour.integrations.dingtalk.models import SyncItem

    tenant, system = _company(args.members, args.departments)
    dingtalk = connect(
        system,
        app_key=APP_KEY,
        app_secret=APP_SECRET,
        oapi_base_url=args.url,
        api_base_url=args.url,
        qps_limit=QPS,
        leaver_mode="cycle",
        sync_interval_minutes=0,
    )
    sync.apply_run(system, sync.plan_adoption(system, dingtalk))
    dingtalk.refresh_from_db()

    started = time.perf_counter()
    run = sync.plan_sync(system, dingtalk)
    plan_seconds = time.perf_counter() - started
    planned = SyncItem.objects.for_tenant(tenant.id).filter(run=run).count()

    started = time.perf_counter()
    run = sync.apply_run(system, run)
    apply_seconds = time.perf_counter() - started
    items = SyncItem.objects.for_tenant(tenant.id).filter(run=run)
    failed = list(items.filter(outcome=SyncItem.Outcome.FAILED).values_list("error_code", flat=True))
    throttle_codes = {"88", "90018", "90002", "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"}
    surfaced = sum(1 for code in failed if code in throttle_codes) + (
        1 if "thrott" in run.error.lower() else 0
    )
    created_users = items.filter(op=SyncItem.Op.CREATE_USER, outcome=SyncItem.Outcome.APPLIED).count()
    print(
        f"  [{db.vendor}] planned {planned} items in {plan_seconds:.1f}s; applied in {apply_seconds:.1f}s:"
        f" {run.api_calls} calls, {created_users} members created, {len(failed)} failed,"
        f" run error {run.error!r}"
    )
    result = {
        "vendor": db.vendor,
        "plan_seconds": plan_seconds,
        "apply_seconds": apply_seconds,
        "api_calls": run.api_calls,
        "calls_per_s": run.api_calls / apply_seconds,
        "throttled_retried": run.throttled,
        "throttle_errors": surfaced,
        "failed": len(failed),
        "created_users": created_users,
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
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url", default=DEFAULT_PG, help="PostgreSQL server to create a database on"
    )
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    members = args.members or (400 if args.quick else 10_000)
    departments = args.departments or (10 if args.quick else 100)
    kinds = ["sqlite"]
    if not args.sqlite_only and postgres_available(args.database_url):
        kinds.append("postgresql")
    print(f"DingTalk sync bench: {members} members, {departments} departments, emulator at {QPS} QPS per API")
    figures: list[dict[str, Any]] = []
    for kind in kinds:
        with emulator(QPS) as url:
            naive = _naive_client(url)
        with emulator(QPS) as url, fresh_database(kind, args.database_url) as env:
            env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
            r = run_child(
                Path(__file__),
                ["--members", str(members), "--departments", str(departments), "--url", url],
                env,
            )
        figures += [
            figure(
                f"{kind}: API calls per second / the {QPS} QPS limit",
                r["calls_per_s"] / QPS,
                0.90,
                lower_is_better=False,
                unit="x",
            ),
            figure(f"{kind}: throttle errors surfaced", r["throttle_errors"], 0, unit=""),
            info(f"{kind}: API calls per second", r["calls_per_s"], unit="/s"),
            info(f"{kind}: throttle answers met and retried by the client", r["throttled_retried"]),
            info(f"{kind}: members created in DingTalk", r["created_users"]),
            info(f"{kind}: items failed (any reason)", r["failed"]),
            info(f"{kind}: dry run (read DingTalk back and compare) seconds", r["plan_seconds"], unit="s"),
            info(f"{kind}: apply seconds", r["apply_seconds"], unit="s"),
            info(
                f"{kind}: baseline, naive client without a limiter: calls per second",
                naive["naive_calls_per_s"],
                unit="/s",
            ),
            info(
                f"{kind}: baseline, naive client: share of answers that were throttle errors",
                naive["naive_throttled_share"],
                unit="x",
            ),
        ]
    report(figures, {"members": members, "departments": departments, "qps_limit": QPS})


if __name__ == "__main__":
    main()
