"""``can(actor, action, target)`` at scale: 100,000 members in 1,000 departments (``--quick``: 10,000 in 100).

Cold: the first check of a request — the actor's grants are read from the database and the target's
department paths are loaded. Cached: the same actor and targets again (what every further check in a request
costs). Target: p99 ≤ 50 µs cached, in-process. Baseline, same run: a bare ``frozenset`` membership test.
The actor is a Department Manager scoped to one division, checking members inside and outside it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import child_setup, figure, fresh_database, percentile, report, run_child


def child(args: argparse.Namespace) -> None:
    child_setup()
    from harbour.core.permissions import SystemActor, can
    from harbour.directory import actions
    from harbour.directory.models import BuiltinRole, Member, Role
    from harbour.directory.queries import attach_places

    tenant = actions.create_tenant(None, slug="perm", display_name="Perm Ltd", email_domains=["perm.hk"])
    system = SystemActor(tenant.id, "bench")
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan

    change_subscription(system, get_plan("professional"), args.members + 10, "annual")
    divisions = [actions.create_department(system, name=f"Division {i}") for i in range(10)]
    departments = list(divisions)
    i = 0
    while len(departments) < args.departments:
        parent = departments[i // 5]  # a realistic tree: five sub-units each, a few levels deep
        departments.append(actions.create_department(system, name=f"Unit {i}", parent=parent))
        i += 1
    specs = [
        actions.MemberSpec(
            email=f"p{n}@perm.hk",
            name=f"P {n}",
            departments=[departments[n % len(departments)]],
            state="active",
        )
        for n in range(args.members)
    ]
    actions.bulk_create_members(system, specs)
    manager = Member.objects.for_tenant(tenant).get(email="p0@perm.hk")
    role = Role.objects.for_tenant(tenant).get(builtin=BuiltinRole.DEPARTMENT_MANAGER)
    actions.grant_role(system, manager, role, scope=divisions[0])

    rng = random.Random(7)
    sample_ids = rng.sample(
        list(Member.objects.for_tenant(tenant).values_list("id", flat=True)), args.samples
    )
    targets = attach_places(list(Member.objects.for_tenant(tenant).filter(pk__in=sample_ids)), tenant.id)

    cold: list[float] = []
    for target in targets[: min(len(targets), 2000)]:
        fresh_actor = Member.objects.for_tenant(tenant).get(pk=manager.pk)
        fresh_target = Member.objects.for_tenant(tenant).get(pk=target.pk)
        start = time.perf_counter()
        can(fresh_actor, "member.suspend", fresh_target)
        cold.append(time.perf_counter() - start)

    manager.forget_access()
    allowed = 0
    for target in targets:
        allowed += can(manager, "member.suspend", target)  # warm the caches
    cached: list[float] = []
    for _ in range(args.rounds):
        for target in targets:
            start = time.perf_counter()
            can(manager, "member.suspend", target)
            cached.append(time.perf_counter() - start)

    codes = frozenset({"member.view", "member.suspend", "member.update"})
    baseline: list[float] = []
    for _ in range(args.rounds):
        for _target in targets:
            start = time.perf_counter()
            _ = "member.suspend" in codes
            baseline.append(time.perf_counter() - start)

    print(f"  {allowed} of {len(targets)} sampled members are inside the manager's division")
    result = {
        "cold_p50": percentile(cold, 50) * 1e6,
        "cold_p99": percentile(cold, 99) * 1e6,
        "cached_p50": percentile(cached, 50) * 1e6,
        "cached_p99": percentile(cached, 99) * 1e6,
        "baseline_p50": percentile(baseline, 50) * 1e6,
        "baseline_p99": percentile(baseline, 99) * 1e6,
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
    parser.add_argument("--samples", type=int)
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    members = args.members or (10_000 if args.quick else 100_000)
    departments = args.departments or (100 if args.quick else 1_000)
    samples = args.samples or (1_000 if args.quick else 5_000)
    rounds = args.rounds or (20 if args.quick else 50)
    print(
        f"permissions bench: {members} members, {departments} departments,"
        f" {samples} targets × {rounds} rounds"
    )
    with fresh_database("sqlite") as env:
        r = run_child(
            Path(__file__),
            [
                "--members",
                str(members),
                "--departments",
                str(departments),
                "--samples",
                str(samples),
                "--rounds",
                str(rounds),
            ],
            env,
        )
    figures = [
        figure("can() cached p50", r["cached_p50"], 50.0, unit="µs"),
        figure("can() cached p99", r["cached_p99"], 50.0, unit="µs"),
        {
            **figure("can() cold p50 (grants + target paths from the database)", r["cold_p50"], 0, unit="µs"),
            "target": None,
            "met": True,
        },
        {**figure("can() cold p99", r["cold_p99"], 0, unit="µs"), "target": None, "met": True},
        {
            **figure("baseline: frozenset membership p50", r["baseline_p50"], 0, unit="µs"),
            "target": None,
            "met": True,
        },
        {
            **figure("baseline: frozenset membership p99", r["baseline_p99"], 0, unit="µs"),
            "target": None,
            "met": True,
        },
    ]
    report(figures, {"members": members, "departments": departments})


if __name__ == "__main__":
    main()
