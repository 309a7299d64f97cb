"""Entitlement and quota checks, in process.

- ``require(tenant, Feature.X)`` / ``has`` / ``limit``: cached (the company's entitlements already read for
  this request's ``Tenant`` object) vs uncached (read from the database: subscription + plan, one query).
- ``consume(tenant, Quota.MEETING_MINUTES, 1)``: one conditional UPDATE per call.
- ``take_seats(tenant, 1)``: lock the company row and count the accounts holding seats, per call.
Baseline: a frozenset membership test (what a cached feature check boils down to).

Target: cached checks p99 ≤ 50 µs (the same budget as ``can()``). Full size: a company with 10,000 accounts
and 200,000 timed cached checks; ``--quick``: 1,000 accounts and 20,000 checks. Runs on SQLite and, when
reachable, PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    DEFAULT_PG,
    child_setup,
    figure,
    info,
    percentile,
    report,
    run_on_each_database,
)


def _timed(fn: Any, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.db import connection, transaction

    from harbour.core import entitlements
    from harbour.core.entitlements import Feature, Quota
    from harbour.core.models import Tenant
    from harbour.core.permissions import SystemActor
    from harbour.directory import actions
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    tenant = actions.create_tenant(None, slug="ent", display_name="Ent Ltd", email_domains=["ent.hk"])
    system = SystemActor(tenant.id, "bench")
    change_subscription(system, get_plan("professional"), args.members * 2, "annual")
    actions.bulk_create_members(
        system,
        [
            actions.MemberSpec(email=f"e{n}@ent.hk", name=f"E {n}", state="active")
            for n in range(args.members)
        ],
    )

    company = Tenant.objects.get(pk=tenant.pk)
    entitlements.require(company, Feature.API_ACCESS)  # read once: what every later check in a request reuses
    cached = _timed(lambda: entitlements.require(company, Feature.SINGLE_SIGN_ON), args.checks)
    cached_limit = _timed(lambda: entitlements.limit(company, Quota.MEETING_MINUTES), args.checks)

    def uncached() -> None:
        entitlements.forget_entitlements(company)
        entitlements.require(company, Feature.SINGLE_SIGN_ON)

    cold = _timed(uncached, args.db_calls)

    def consume() -> None:
        with transaction.atomic():
            entitlements.consume(company, Quota.MEETING_MINUTES, 1)

    consumed = _timed(consume, args.db_calls)

    def take_seat() -> None:
        with transaction.atomic():
            entitlements.take_seats(company, 1)

    seats = _timed(take_seat, args.db_calls)

    codes = frozenset(f.value for f in Feature)
    baseline = _timed(lambda: "single_sign_on" in codes, args.checks)
    result = {"vendor": connection.vendor}
    for name, samples in (
        ("cached", cached),
        ("cached_limit", cached_limit),
        ("uncached", cold),
        ("consume", consumed),
        ("seats", seats),
        ("baseline", baseline),
    ):
        result[f"{name}_p50"] = percentile(samples, 50) * 1e6
        result[f"{name}_p99"] = percentile(samples, 99) * 1e6
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int)
    parser.add_argument("--checks", type=int)
    parser.add_argument("--db-calls", type=int)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    members = args.members or (1_000 if args.quick else 10_000)
    checks = args.checks or (20_000 if args.quick else 200_000)
    db_calls = args.db_calls or (200 if args.quick else 2_000)
    print(f"entitlements bench: {members} accounts, {checks} cached checks, {db_calls} database-backed calls")
    child_args = ["--members", str(members), "--checks", str(checks), "--db-calls", str(db_calls)]
    results = run_on_each_database(Path(__file__), child_args, args.database_url)
    figures = []
    for r in results:
        v = r["vendor"]
        figures += [
            figure(f"{v}: require() cached p50", r["cached_p50"], 50.0, unit="µs"),
            figure(f"{v}: require() cached p99", r["cached_p99"], 50.0, unit="µs"),
            figure(f"{v}: limit() cached p99", r["cached_limit_p99"], 50.0, unit="µs"),
            info(f"{v}: require() uncached p50", r["uncached_p50"], unit="µs"),
            info(f"{v}: require() uncached p99", r["uncached_p99"], unit="µs"),
            info(f"{v}: consume() minutes p50", r["consume_p50"], unit="µs"),
            info(f"{v}: take_seats() p50 ({members} accounts)", r["seats_p50"], unit="µs"),
            info(f"{v}: baseline frozenset membership p50", r["baseline_p50"], unit="µs"),
        ]
    report(figures, {"accounts": members, "checks": checks})


if __name__ == "__main__":
    main()
