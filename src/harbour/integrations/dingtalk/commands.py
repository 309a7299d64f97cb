"""``harbour dingtalk …``: the connector from the command line — status, test, adopt and sync (a dry run
unless ``--apply``, applied with a progress bar). ``harbour.cli`` mounts these; they call the same actions
as the console."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

TenantActor = Callable[[str], Any]


class CommandError(Exception):
    """A problem the user can fix (no connection, unknown company…): one red line, exit code 2."""


def add_commands(
    sub: Any, *, tenant_actor: TenantActor, setup: Callable[[], None], out: Console, err: Console
) -> None:
    dingtalk = sub.add_parser("dingtalk", help="the DingTalk connector: status, test, adopt, sync")
    dsub = dingtalk.add_subparsers(dest="subcommand", required=True)

    def command(fn: Callable[[argparse.Namespace, Any, Console, Console], int]) -> Callable[..., int]:
        def run(args: argparse.Namespace) -> int:
            setup()
            return fn(args, tenant_actor(args.tenant), out, err)

        return run

    p = dsub.add_parser("status", help="the connection, its links and its last runs")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=command(_status))
    p = dsub.add_parser("test", help="test the connection (token, directory read, permissions)")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=command(_test))
    for name, text in (
        ("adopt", "plan adopting the DingTalk directory into Harbour (dry run), or --apply"),
        ("sync", "plan the changes that bring DingTalk in step with Harbour (dry run), or --apply"),
    ):
        p = dsub.add_parser(name, help=text)
        p.add_argument("--tenant", required=True, help="the company's short name")
        p.add_argument("--apply", action="store_true", help="apply the plan (default: show it only)")
        p.set_defaults(func=command(_adopt if name == "adopt" else _sync))


def _connection(actor: Any) -> Any:
    from harbour.integrations.dingtalk.models import Connection

    connection = Connection.objects.for_tenant(actor.tenant_id).first()
    if connection is None:
        raise CommandError("this company has not connected DingTalk (console: DingTalk)")
    return connection


def _status(args: argparse.Namespace, actor: Any, out: Console, err: Console) -> int:
    from harbour.integrations.dingtalk.models import SyncRun
    from harbour.integrations.dingtalk.queries import link_counts

    connection = _connection(actor)
    out.print(
        f"DingTalk app [bold]{connection.app_key}[/bold]: {connection.get_state_display()}; "
        f"leavers: {connection.get_leaver_mode_display()}"
    )
    counts = link_counts(connection)
    if counts:
        out.print("Accounts: " + ", ".join(f"{situation} {n}" for situation, n in sorted(counts.items())))
    table = Table(title="Last runs")
    for column in ("when", "kind", "trigger", "state", "calls", "throttled", "error"):
        table.add_column(column)
    for run in SyncRun.objects.for_tenant(actor.tenant_id).filter(connection=connection)[:10]:
        table.add_row(
            f"{run.created_at:%Y-%m-%d %H:%M}",
            run.kind,
            run.trigger,
            run.state,
            str(run.api_calls),
            str(run.throttled),
            run.error,
        )
    out.print(table)
    return 0


def _test(args: argparse.Namespace, actor: Any, out: Console, err: Console) -> int:
    from harbour.integrations.dingtalk.actions.connection import test_connection

    result = test_connection(actor, _connection(actor))
    for step, ok, detail in result.details:
        mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
        out.print(f"{mark} {step}: {detail}")
    return 0 if result.ok else 1


def _adopt(args: argparse.Namespace, actor: Any, out: Console, err: Console) -> int:
    from harbour.integrations.dingtalk.actions.sync import plan_adoption

    return _show_and_apply(plan_adoption(actor, _connection(actor)), args, actor, out, err)


def _sync(args: argparse.Namespace, actor: Any, out: Console, err: Console) -> int:
    from harbour.integrations.dingtalk.actions.sync import plan_sync

    return _show_and_apply(plan_sync(actor, _connection(actor)), args, actor, out, err)


def _show_and_apply(run: Any, args: argparse.Namespace, actor: Any, out: Console, err: Console) -> int:
    from harbour.integrations.dingtalk.actions.sync import apply_run
    from harbour.integrations.dingtalk.models import SyncItem

    items = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run)
    table = Table(title=f"{run.get_kind_display()}: {'applying' if args.apply else 'dry run'}")
    table.add_column("change")
    table.add_column("items", justify="right")
    counts = run.counts or {}
    for op, n in sorted((counts.get("ops") or {}).items()):
        table.add_row(str(SyncItem.Op(op).label) if op in SyncItem.Op.values else op, str(n))
    if counts.get("settled"):
        table.add_row("already in step", str(counts["settled"]))
    out.print(table)
    for item in items.filter(outcome=SyncItem.Outcome.WAITING)[:20]:
        out.print(f"[yellow]waiting[/yellow] {item.get_op_display()}: {item.label} — {item.reason}")
    if not args.apply:
        out.print("Nothing was changed. Run again with --apply to apply these changes.")
        return 0
    total = items.filter(outcome=SyncItem.Outcome.PENDING).count()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("applying", total=total)
        run = apply_run(actor, run, progress=lambda n: bar.advance(task, n))
    outcomes = run.counts.get("outcomes", {}) if isinstance(run.counts, dict) else {}
    if outcomes:
        out.print("Applied: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    for item in items.filter(outcome=SyncItem.Outcome.FAILED)[:20]:
        out.print(
            f"[red]failed[/red] {item.get_op_display()}: {item.label} — {item.error_code} {item.message}"
        )
    if run.error:
        err.print(f"[red]stopped:[/red] {run.error}")
    return 1 if run.error or outcomes.get("failed") else 0
