"""The ``harbour`` command: run the demo or the server, and operate tenants and members."""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    """Migrate the registry database and every dedicated company database (all carry the whole schema)."""
    from django.core.management import call_command

    from harbour.core.databases import tenant_databases

    for alias in tenant_databases():
        call_command("migrate", interactive=False, verbosity=verbosity, database=alias)


# ---------------------------------------------------------------------------------------------- server
def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, seed the demo company once, serve, print the URL and demo logins."""
    _setup()
    from django.conf import settings

    from harbour.demo.seed import is_seeded, seed_demo

    with console.status("Preparing the database…"):
        _migrate()
    if not is_seeded():
        with console.status("Creating the demo company (about 200 members)…"):
            seed_demo()
    logins = __import__("harbour.demo.seed", fromlist=["demo_logins"]).demo_logins()
    url = f"http://{args.host}:{args.port}/"
    console.print(f"\n[bold]Harbour demo[/bold] is starting at [link={url}]{url}[/link]")
    console.print(f"Data lives in {settings.DATA_DIR} (delete it to start over).\n")
    table = Table(title="Demo logins")
    table.add_column("who")
    table.add_column("email", no_wrap=True)
    table.add_column("password", no_wrap=True)
    table.add_column("note")
    for login in logins:
        table.add_row(login.role, login.email, login.password, login.note)
    console.print(table)
    worker, thread = _start_demo_worker()
    console.print("Background jobs and periodic jobs run in this process (see Jobs in the console).")
    console.print("Press Ctrl-C to stop.\n")
    try:
        return _run_server(args.host, args.port, workers=1, base_url=url)
    finally:
        worker.stop()
        thread.join(timeout=30)


def _start_demo_worker() -> Any:
    """The same worker loop as `harbour worker`, in a daemon thread, so the demo needs no other process."""
    from harbour.jobs.scheduler import Scheduler
    from harbour.jobs.worker import start_in_thread

    return start_in_thread(scheduler=Scheduler(), interval=2.0)


def _run_server(host: str, port: int, *, workers: int, base_url: str | None = None) -> int:
    import uvicorn

    if base_url:
        os.environ.setdefault("HARBOUR_BASE_URL", base_url.rstrip("/"))
    config = uvicorn.Config(
        "harbour.asgi:application",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        lifespan="off",
        proxy_headers=True,
    )
    if workers > 1:
        # uvicorn's own supervisor: one process per worker sharing the listening socket.
        uvicorn.run(
            "harbour.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            lifespan="off",
            proxy_headers=True,
        )
    else:
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run()
    console.print("Harbour stopped.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Production server: uvicorn workers behind your TLS proxy."""
    _setup()
    from django.core.management import call_command

    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"Harbour serving on http://{args.host}:{args.port}/ with {args.workers} worker(s)")
    return _run_server(args.host, args.port, workers=args.workers)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    _migrate(verbosity=1)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("check", deploy=args.deploy)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["harbour manage", *args.rest])
    return 0


# ------------------------------------------------------------------------------------------------ jobs
def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued background tasks and the periodic schedule until Ctrl-C or SIGTERM (which finish the
    current task first); with --once, until nothing is left to do. Start as many as you like, anywhere."""
    _setup()
    from django.conf import settings

    from harbour.core.time import HONG_KONG
    from harbour.jobs.scheduler import Scheduler
    from harbour.jobs.worker import HarbourWorker

    queues = [q.strip() for q in ",".join(args.queue or ["*"]).split(",") if q.strip()]
    known = set(settings.TASKS["default"].get("QUEUES", ["default"]))
    unknown = [q for q in queues if q != "*" and q not in known]
    if unknown:
        raise _CliError(f"--queue: no queue {unknown[0]!r} (queues: {', '.join(sorted(known))})")
    if not 0 <= args.interval <= 3600:
        raise _CliError("--interval is between 0 and 3600 seconds")
    if args.max_tasks is not None and args.max_tasks < 1:
        raise _CliError("--max-tasks is at least 1")
    scheduler = None if args.no_schedule else Scheduler(on_enqueued=_print_enqueued)
    worker = HarbourWorker(
        queues=queues,
        interval=args.interval,
        once=args.once,
        max_tasks=args.max_tasks,
        scheduler=scheduler,
        report=_print_run,
    )
    mode = "until the queue is empty" if args.once else "until Ctrl-C"
    console.print(f"Worker {worker.worker_id} on queues {', '.join(queues)}, {mode}.")
    for name, when in (scheduler.next_due() if scheduler else {}).items():
        console.print(f"  periodic {name}: next at {when.astimezone(HONG_KONG):%Y-%m-%d %H:%M} (Hong Kong)")
    worker.configure_signals()
    try:
        worker.run()
    finally:
        worker.reset_signals()
    console.print(f"Worker stopped after {worker._run_tasks} task(s).")
    return 0


def _print_enqueued(done: Any) -> None:
    from harbour.core.time import HONG_KONG

    console.print(
        f"[cyan]⏲[/cyan] periodic {done.name} due {done.slot.astimezone(HONG_KONG):%Y-%m-%d %H:%M} queued"
    )


def _print_run(run: Any) -> None:
    from django_tasks import TaskResultStatus

    from harbour.core.time import HONG_KONG, now
    from harbour.jobs.models import error_summary

    result = run.result
    stamp = f"[dim]{now().astimezone(HONG_KONG):%H:%M:%S}[/dim]"
    name = result.task_path.rsplit(".", 1)[-1]
    if not run.finished:
        console.print(f"{stamp} ▶ {name} [dim]{result.pk}[/dim]")
    elif result.status == TaskResultStatus.SUCCESSFUL:
        console.print(f"{stamp} [green]✓[/green] {name} succeeded in {run.seconds:.2f} s")
    else:
        console.print(
            f"{stamp} [red]✗ {name} failed[/red] after {run.seconds:.2f} s: {error_summary(result.traceback)}"
        )


# ------------------------------------------------------------------------------------------- operators
def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise _CliError("the two passwords differ")
    return first


def cmd_operator_create(args: argparse.Namespace) -> int:
    _setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from harbour.core.models import Account

    email = args.email.strip().lower()
    if Account.objects.filter(email=email).exists():
        raise _CliError(f"{email} already has a login")
    password = _read_password(args)
    try:
        validate_password(password, Account(email=email))
    except ValidationError as exc:
        raise _CliError("password: " + " ".join(exc.messages)) from None
    Account.objects.create_user(email, password, display_name=args.name or "", is_operator=True)
    console.print(f"Platform operator {email} created.")
    return 0


# --------------------------------------------------------------------------------------------- tenants
def cmd_tenant_create(args: argparse.Namespace) -> int:
    _setup()
    from harbour.core.models import Account
    from harbour.directory import actions

    operator = None
    if args.operator:
        operator = Account.objects.filter(email=args.operator.lower(), is_operator=True).first()
        if operator is None:
            raise _CliError(f"{args.operator} is not a platform operator")
    profile: dict[str, Any] = {"email_domains": args.domain or []}
    for name in (
        "registered_name",
        "br_number",
        "registration_location",
        "data_storage_region",
        "contracting_entity",
        "local_contact_address",
        "locale",
    ):
        value = getattr(args, name)
        if value is not None:
            profile[name] = value
    tenant = actions.create_tenant(operator, slug=args.slug, display_name=args.name, **profile)
    console.print(f"Company [bold]{tenant.display_name}[/bold] created (slug {tenant.slug}, id {tenant.id}).")
    if args.admin_email:
        from harbour.core.permissions import SystemActor
        from harbour.directory.models import BuiltinRole, Role

        system = SystemActor(tenant.id, "harbour cli")
        member = actions.invite_member(
            system, actions.MemberSpec(email=args.admin_email, name=args.admin_name or args.admin_email)
        )
        role = Role.objects.for_tenant(tenant).get(builtin=BuiltinRole.ADMINISTRATOR)
        actions.grant_role(system, member, role, reason="first administrator")
        console.print(f"Administrator {member.email} invited: {member.invitation_url}")  # type: ignore[attr-defined]
    return 0


def cmd_tenant_list(args: argparse.Namespace) -> int:
    _setup()
    from django.db.models import Count, Q

    from harbour.core.models import Tenant
    from harbour.directory.models import Member

    counts: dict[Any, int] = {}
    for qs in Member.objects.in_every_database():
        per_database = (
            qs.values("tenant_id")
            .annotate(n=Count("id", filter=~Q(state="deactivated")))
            .values_list("tenant_id", "n")
        )
        for tenant_id, n in per_database:
            counts.setdefault(tenant_id, n)  # a move's leftovers never outnumber the home copy's rows
    table = Table(title="Companies")
    for column in ("slug", "name", "members", "storage region", "database", "operator"):
        table.add_column(column)
    for tenant in Tenant.objects.select_related("operator").order_by("slug"):
        table.add_row(
            tenant.slug,
            tenant.display_name,
            str(counts.get(tenant.id, 0)),
            tenant.data_storage_region,
            tenant.database + (f" → {tenant.database_moving_to}" if tenant.database_moving_to else ""),
            tenant.operator.email if tenant.operator else "—",
        )
    console.print(table)
    return 0


def cmd_tenant_move(args: argparse.Namespace) -> int:
    """Move a company's data to a dedicated database (Premium) or back to the shared one."""
    _setup()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from harbour.core.models import Tenant
    from harbour.directory.actions.placement import count_company_rows, move_company_data

    tenant = Tenant.objects.filter(slug=args.slug).first()
    if tenant is None:
        raise _CliError(f"no company with the short name {args.slug!r} (see: harbour tenant list)")
    total = count_company_rows(tenant)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as bar:
        task = bar.add_task(f"Copying {tenant.slug} to {args.to}", total=total)
        report = move_company_data(
            tenant, args.to, by=f"harbour cli ({getpass.getuser()})", progress=lambda n: bar.advance(task, n)
        )
    console.print(
        f"Moved {report.total} rows of {tenant.display_name} from {report.source} to {report.target}; "
        "counts and keys verified."
    )
    return 0


# --------------------------------------------------------------------------------------------- members
def _tenant_actor(slug: str) -> Any:
    from harbour.core.models import Tenant
    from harbour.core.permissions import SystemActor

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise _CliError(f"no company with the short name {slug!r} (see: harbour tenant list)")
    return SystemActor(tenant.id, f"harbour cli ({getpass.getuser()})")


def _member_by_email(actor: Any, email: str) -> Any:
    from harbour.directory.models import Member

    member = Member.objects.for_tenant(actor.tenant_id).filter(email=email.strip().lower()).first()
    if member is None:
        raise _CliError(f"no member with the email {email}")
    return member


def _department(actor: Any, name_or_id: str) -> Any:
    from django.core.exceptions import ValidationError
    from django.db.models import Q

    from harbour.directory.models import Department

    qs = Department.objects.for_tenant(actor.tenant_id)
    try:
        found = list(qs.filter(Q(name__iexact=name_or_id) | Q(name_zh=name_or_id))[:2])
        if not found:
            found = list(qs.filter(pk=name_or_id)[:1])
    except ValidationError:
        found = []
    if not found:
        raise _CliError(f"no department {name_or_id!r}")
    if len(found) > 1:
        raise _CliError(f"more than one department is called {name_or_id!r}: use its id")
    return found[0]


def cmd_member_invite(args: argparse.Namespace) -> int:
    _setup()
    from harbour.directory import actions
    from harbour.directory.models import Role

    actor = _tenant_actor(args.tenant)
    departments = [_department(actor, d) for d in (args.department or [])]
    role = None
    if args.role:
        role = (
            Role.objects.for_tenant(actor.tenant_id).filter(builtin=args.role).first()
            or Role.objects.for_tenant(actor.tenant_id).filter(name__iexact=args.role).first()
        )
        if role is None:
            raise _CliError(f"no role {args.role!r}")
    from django.db import transaction

    with transaction.atomic():
        member = actions.invite_member(
            actor,
            actions.MemberSpec(
                email=args.email,
                name=args.name,
                name_zh=args.name_zh or "",
                mobile=args.mobile or "",
                employee_number=args.employee_number,
                title=args.title or "",
                departments=departments,
            ),
        )
        if role is not None:
            scope = departments[0] if role.requires_scope and departments else None
            actions.grant_role(actor, member, role, scope=scope)
    console.print(f"Invited {member.email}. Invitation link: {member.invitation_url}")  # type: ignore[attr-defined]
    return 0


def cmd_member_list(args: argparse.Namespace) -> int:
    _setup()
    from harbour.directory.queries import attach_places, search_members

    actor = _tenant_actor(args.tenant)
    qs = search_members(actor, q=args.q or "", state=args.state)
    table = Table(title="Members")
    for column in ("name", "中文名", "email", "employee no.", "departments", "state"):
        table.add_column(column)
    shown = 0
    for member in attach_places(list(qs.order_by("name", "id")[: args.limit]), actor.tenant_id):
        table.add_row(
            member.name,
            member.name_zh,
            member.email,
            member.employee_number or "",
            ", ".join(place.name for place in member.places()),
            member.state,
        )
        shown += 1
    console.print(table)
    console.print(f"{shown} shown (limit {args.limit}).")
    return 0


def _state_command(action_name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        _setup()
        from harbour.directory import actions

        actor = _tenant_actor(args.tenant)
        member = _member_by_email(actor, args.email)
        getattr(actions, action_name)(actor, member, reason=args.reason or "")
        console.print(f"{member.email} is now {member.state}.")
        return 0

    return run


def cmd_department_list(args: argparse.Namespace) -> int:
    _setup()
    from harbour.directory.queries import department_tree, member_counts

    actor = _tenant_actor(args.tenant)
    counts = member_counts(actor)
    for department in department_tree(actor):
        console.print(
            f"{'  ' * department.depth}{department.name} {department.name_zh} "
            f"[dim]({counts.get(department.id, 0)} members, id {department.id})[/dim]"
        )
    return 0


def cmd_department_create(args: argparse.Namespace) -> int:
    _setup()
    from harbour.directory import actions

    actor = _tenant_actor(args.tenant)
    parent = _department(actor, args.parent) if args.parent else None
    department = actions.create_department(actor, name=args.name, name_zh=args.name_zh or "", parent=parent)
    console.print(f"Department {department.name} created (id {department.id}).")
    return 0


# ------------------------------------------------------------------------------------------------ main
class _CliError(Exception):
    pass


# ------------------------------------------------------------------------------------------ operation log
def _companies(slug: str | None) -> list[Any]:
    from harbour.core.models import Tenant

    if slug is None:
        return list(Tenant.objects.order_by("slug"))
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise _CliError(f"no company with the short name {slug!r} (see: harbour tenant list)")
    return [tenant]


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Prove no entry was altered, removed or reordered: exit 1 at the first broken link."""
    _setup()
    from harbour.audit.chain import verify_company

    broken = 0
    for tenant in _companies(args.tenant):
        verdict = verify_company(tenant.pk)
        if verdict.intact:
            console.print(f"{tenant.slug}: intact, {verdict.entries} entries")
        else:
            broken += 1
            console.print(
                f"[red]{tenant.slug}: BROKEN at entry {verdict.broken_seq}[/red] — {verdict.reason} "
                f"({verdict.entries} entries verified before it)"
            )
    return 1 if broken else 0


def cmd_audit_purge(args: argparse.Namespace) -> int:
    """Remove entries past each company's retention, 1,000 per transaction (legal holds are respected)."""
    _setup()
    from rich.progress import Progress

    from harbour.audit.retention import PURGE_BATCH, purge_expired

    batch = args.batch or PURGE_BATCH
    if not 1 <= batch <= PURGE_BATCH:
        raise _CliError(f"--batch is between 1 and {PURGE_BATCH}")
    with Progress(console=err, transient=True) as bar:
        for tenant in _companies(args.tenant):
            advance = functools.partial(bar.advance, bar.add_task(f"{tenant.slug}", total=None))
            report = purge_expired(tenant.pk, batch_size=batch, progress=advance)
            if report.held:
                console.print(f"{tenant.slug}: on legal hold, nothing removed")
            else:
                console.print(f"{tenant.slug}: {report.removed} entries removed in {report.batches} batches")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    _setup()
    from harbour.audit.retention import write_checkpoint

    for tenant in _companies(args.tenant):
        checkpoint = write_checkpoint(tenant.pk)
        console.print(
            f"{tenant.slug}: " + (f"checkpoint at entry {checkpoint.seq}" if checkpoint else "unchanged")
        )
    return 0


# -------------------------------------------------------------------------------------------- security
def cmd_domain_list(args: argparse.Namespace) -> int:
    _setup()
    from harbour.security.domains import domain_statuses

    actor = _tenant_actor(args.tenant)
    table = Table(title=f"Email domains of {args.tenant}")
    for column in ("domain", "state", "TXT record to publish"):
        table.add_column(column)
    for status in domain_statuses(actor):
        row = status.record
        state = f"verified ({row.method})" if row and row.is_verified else "not verified"
        record = (
            f"_harbour-verification.{status.name} TXT {row.txt_value}" if row and not row.is_verified else ""
        )
        table.add_row(status.name, state, record)
    console.print(table)
    return 0


def cmd_domain_add(args: argparse.Namespace) -> int:
    _setup()
    from harbour.security.domains import add_domain

    row = add_domain(_tenant_actor(args.tenant), args.name)
    console.print(f"{row.name} added. Publish this DNS record, then run `harbour domain verify`:")
    console.print(f"  _harbour-verification.{row.name}  TXT  {row.txt_value}")
    return 0


def cmd_domain_verify(args: argparse.Namespace) -> int:
    """Look the TXT record up; exit 1 when it is not (yet) published."""
    _setup()
    from harbour.security.domains import check_domain

    row = check_domain(_tenant_actor(args.tenant), args.name)
    if row.is_verified:
        console.print(f"{row.name}: verified ({row.method})")
        return 0
    console.print(f"[red]{row.name}: not verified[/red] — {row.last_check_result}")
    return 1


def cmd_domain_override(args: argparse.Namespace) -> int:
    """Mark a domain verified without DNS; the reason goes into the company's operation log."""
    _setup()
    from harbour.security.domains import override_verification

    row = override_verification(_tenant_actor(args.tenant), args.name, reason=args.reason)
    console.print(f"{row.name}: marked verified (override, logged)")
    return 0


def cmd_domain_report(args: argparse.Namespace) -> int:
    """Members whose address is outside the verified domains; exit 1 when there are any."""
    _setup()
    from harbour.security.domains import members_outside_domains

    members = list(members_outside_domains(_tenant_actor(args.tenant)))
    for member in members:
        console.print(f"{member.email}\t{member.name}\t{member.state}")
    console.print(f"{len(members)} member(s) outside the verified domains", style="red" if members else None)
    return 1 if members else 0


def cmd_login_unlock(args: argparse.Namespace) -> int:
    _setup()
    from harbour.identity import throttle

    cleared = throttle.clear(args.email)
    console.print(f"{args.email}: {cleared} refused attempt(s) forgotten; the address may sign in again")
    return 0


def cmd_security_baseline(args: argparse.Namespace) -> int:
    """The baseline report of a company: a table, JSON or CSV; exit 1 when a SHALL rule fails."""
    _setup()
    import json

    from harbour.core.models import Tenant
    from harbour.security.baseline import csv_lines, evaluate, report_rows

    tenant = Tenant.objects.filter(slug=args.tenant).first()
    if tenant is None:
        raise _CliError(f"no company with the short name {args.tenant!r} (see: harbour tenant list)")
    report = evaluate(tenant)
    if args.format == "json":
        print(json.dumps({"score": report.score, "rules": report_rows(report)}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write("".join(csv_lines(report)))
    else:
        table = Table(title=f"Security baseline of {tenant.slug}: score {report.score}%")
        for column in ("rule", "level", "result", "actual", "expected"):
            table.add_column(column)
        for result in report.results:
            status = result.finding.status.value + (" (exception)" if result.accepted else "")
            table.add_row(
                result.rule.id,
                result.rule.level.value,
                status,
                result.finding.actual,
                result.finding.expected,
            )
        console.print(table)
    shall_failed = any(r.rule.level == "SHALL" and not r.met and r.counts for r in report.results)
    return 1 if shall_failed else 0


# ------------------------------------------------------------------------------------------ compliance
def cmd_compliance_report(args: argparse.Namespace) -> int:
    """The compliance report of a company as PDF (or HTML with --html); generating it is audited."""
    _setup()
    from pathlib import Path

    from harbour.compliance.actions import generate_report
    from harbour.compliance.report import report_html, report_pdf
    from harbour.core.models import Tenant

    actor = _tenant_actor(args.tenant)
    out = Path(args.out).expanduser().resolve()
    if out.is_dir() or not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
        raise _CliError(f"cannot write the report to {args.out}: choose a file in a writable folder")
    if out.exists() and not os.access(out, os.W_OK):
        raise _CliError(f"cannot write the report to {args.out}: the file is read-only")
    fmt = "html" if args.html else "pdf"
    snapshot = generate_report(actor, fmt=fmt)
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    prepared_by = args.prepared_by or actor.actor_label
    try:
        if args.html:
            out.write_text(report_html(tenant, snapshot, prepared_by=prepared_by), encoding="utf-8")
        else:
            out.write_bytes(report_pdf(tenant, snapshot, prepared_by=prepared_by))
    except OSError as exc:
        raise _CliError(f"cannot write the report to {args.out}: {exc.strerror or exc}") from None
    counts = ", ".join(f"{status}: {n}" for status, n in snapshot.counts.items())
    console.print(
        f"wrote the compliance report of {tenant.slug} ({fmt.upper()}, {counts}) to {out}", soft_wrap=True
    )
    return 0


# ------------------------------------------------------------------------------------------- lifecycle
def cmd_import_hr(args: argparse.Namespace) -> int:
    """Plan an HR file (dry run: what would change); with --apply, apply it with a progress bar."""
    _setup()
    from pathlib import Path

    from rich.progress import Progress

    from harbour.lifecycle.actions import apply_run, plan_file_import
    from harbour.lifecycle.models import SyncItem

    path = Path(args.file)
    if not path.is_file():
        raise _CliError(f"no file {args.file}")
    mapping: dict[str, str] = {}
    for pair in args.map or []:
        field, sep, header = pair.partition("=")
        if not sep:
            raise _CliError(f"--map takes field=Header, not {pair!r}")
        mapping[field.strip()] = header.strip()
    actor = _tenant_actor(args.tenant)
    run = plan_file_import(
        actor,
        path.read_bytes(),
        path.name,
        mapping=mapping or None,
        full_export=args.full_export,
        reconcile=args.reconcile,
    )
    table = Table(title=f"{path.name}: {'applying' if args.apply else 'dry run'}")
    table.add_column("change")
    table.add_column("accounts", justify="right")
    for kind, n in run.counts.items():
        if isinstance(n, int):
            table.add_row(kind, str(n))
    console.print(table)
    situations = run.counts.get("situations") or {}
    if situations:
        console.print("Reconciliation: " + ", ".join(f"{k} {v}" for k, v in sorted(situations.items())))
    for item in SyncItem.objects.for_tenant(run.tenant_id).filter(run=run, kind="disputed")[:20]:
        console.print(f"[yellow]disputed[/yellow] row {item.row}: {item.reason}")
    if not args.apply:
        console.print("Nothing was changed. Run again with --apply to apply these changes.")
        return 0
    total = SyncItem.objects.for_tenant(run.tenant_id).filter(run=run, outcome="").count()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("applying", total=total)
        run = apply_run(actor, run, progress=lambda n: bar.advance(task, n))
    outcomes = run.counts.get("outcomes", {})
    console.print("Applied: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    return 1 if outcomes.get("failed") else 0


def cmd_webhook_create(args: argparse.Namespace) -> int:
    """A new HR webhook: prints its address and signing secret (shown once)."""
    _setup()
    from django.conf import settings

    from harbour.lifecycle.webhook import create_webhook

    webhook, secret = create_webhook(_tenant_actor(args.tenant))
    console.print(f"address: {settings.HARBOUR_BASE_URL.rstrip('/')}/hooks/hr/{webhook.pk}/")
    console.print(f"secret:  {secret}")
    console.print(
        "Sign each POST: X-Harbour-Timestamp (Unix seconds) and X-Harbour-Signature: sha256=<HMAC-SHA256"
    )
    console.print("of '<timestamp>.<body>' under the secret>. The secret is not shown again.")
    return 0


def cmd_webhook_rotate(args: argparse.Namespace) -> int:
    _setup()
    from harbour.lifecycle.models import HrWebhook
    from harbour.lifecycle.webhook import rotate_secret

    actor = _tenant_actor(args.tenant)
    webhook = HrWebhook.objects.for_tenant(actor.tenant_id).filter(pk=args.id).first()
    if webhook is None:
        raise _CliError(f"no HR webhook {args.id} in {args.tenant}")
    console.print(f"new secret: {rotate_secret(actor, webhook)}")
    return 0


def cmd_scim_token(args: argparse.Namespace) -> int:
    """A new SCIM bearer token for an identity provider: prints it (shown once) and the SCIM address."""
    _setup()
    from harbour.lifecycle.scim.tokens import mint_scim_token, scim_base_url

    token, text = mint_scim_token(_tenant_actor(args.tenant), name=args.name)
    console.print(f"SCIM address (Tenant URL): {scim_base_url()}", soft_wrap=True)
    console.print(f"token ({token.name}):  {text}", soft_wrap=True)
    console.print("Send it as 'Authorization: Bearer <token>'. It is not shown again;", soft_wrap=True)
    console.print("revoke it on the console's SCIM provisioning page.", soft_wrap=True)
    return 0


# ----------------------------------------------------------------------------------------------- plans
def cmd_plan_list(args: argparse.Namespace) -> int:
    _setup()
    from harbour.plans.models import Plan

    table = Table(title="Plan catalogue")
    for column in ("code", "name", "HK$/seat/month", "features", "offered"):
        table.add_column(column)
    for plan in Plan.objects.order_by("rank"):
        price = "by contract" if plan.price_per_seat_month is None else str(plan.price_per_seat_month)
        table.add_row(
            plan.code, plan.name, price, ", ".join(plan.features), "yes" if plan.is_available else "no"
        )
    console.print(table)
    return 0


def cmd_plan_show(args: argparse.Namespace) -> int:
    _setup()
    from harbour.core.models import Tenant
    from harbour.plans.queries import subscription_of, usage_of
    from harbour.plans.source import effective_terms

    actor = _tenant_actor(args.tenant)
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    subscription = subscription_of(tenant)
    plan, seats = effective_terms(subscription)
    if subscription is None:
        console.print(f"{tenant.display_name}: [bold]{plan.name}[/bold] (no paid subscription)")
    else:
        console.print(
            f"{tenant.display_name}: [bold]{plan.name}[/bold], {seats} seats, {subscription.term}, "
            f"HK${subscription.unit_price}/seat/month, renews on {subscription.renews_on}"
        )
        if subscription.scheduled_plan is not None:
            console.print(
                f"Scheduled: {subscription.scheduled_plan.name} with "
                f"{subscription.scheduled_seats or subscription.seats} seats from {subscription.renews_on}"
            )
    table = Table(title="Use of the plan")
    for column in ("quota", "used", "included"):
        table.add_column(column)
    for line in usage_of(tenant):
        table.add_row(line.label, line.used_display, line.limit_display)
    console.print(table)
    return 0


def cmd_plan_set(args: argparse.Namespace) -> int:
    _setup()
    from decimal import Decimal, InvalidOperation

    from harbour.plans import actions as plan_actions
    from harbour.plans.queries import get_plan

    actor = _tenant_actor(args.tenant)
    price = None
    if args.price is not None:
        try:
            price = Decimal(args.price)
        except InvalidOperation:
            raise _CliError(f"--price: {args.price!r} is not an amount") from None
    plan = get_plan(args.plan)
    _subscription, change = plan_actions.change_subscription(
        actor, plan, args.seats, args.term, unit_price=price
    )
    when = "now" if change.immediate else f"on {change.effective_on}"
    console.print(f"{plan.name} with {args.seats} seats ({args.term}) takes effect {when}.")
    for sentence in change.stops_working:
        console.print(f"[yellow]note:[/yellow] {sentence}")
    return 0


def cmd_plan_renew(args: argparse.Namespace) -> int:
    _setup()
    from harbour.plans.actions import renew_due_subscriptions

    count = renew_due_subscriptions()
    console.print(f"{count} subscription(s) renewed.")
    return 0


def cmd_plan_price(args: argparse.Namespace) -> int:
    _setup()
    from decimal import Decimal, InvalidOperation

    from harbour.plans.pricing import price_of
    from harbour.plans.queries import get_plan

    try:
        unit = Decimal(args.price) if args.price is not None else None
        discount = Decimal(args.discount) if args.discount is not None else None
    except InvalidOperation:
        raise _CliError("--price and --discount are amounts, e.g. 72.50") from None
    price = price_of(get_plan(args.plan), args.seats, args.term, unit_price=unit, discount_percent=discount)
    console.print(
        f"{price.plan.name}: {price.seats} seats × HK${price.unit_price} × {price.months} month(s) = "
        f"HK${price.list_total}; discount {price.discount_percent}% − HK${price.discount}; "
        f"[bold]total HK${price.total}[/bold]"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harbour", description="Harbour work-account platform")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="run Harbour with a demo company on SQLite")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="run the production ASGI server (uvicorn)")
    p.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server binds where the operator says
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="create or upgrade the database tables").set_defaults(func=cmd_migrate)
    p = sub.add_parser("check", help="check the configuration")
    p.add_argument("--deploy", action="store_true", help="also the production security checks")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    p = sub.add_parser("worker", help="run background jobs and the periodic schedule")
    p.add_argument(
        "--queue", action="append", help="queue(s) to take tasks from, comma-separated (default: all)"
    )
    p.add_argument("--interval", type=float, default=1.0, help="seconds to wait when idle (default 1)")
    p.add_argument(
        "--once", "--batch", dest="once", action="store_true", help="exit when nothing is left to do"
    )
    p.add_argument("--max-tasks", type=int, help="exit after this many tasks")
    p.add_argument("--no-schedule", action="store_true", help="do not enqueue periodic jobs from this worker")
    p.set_defaults(func=cmd_worker)

    operator = sub.add_parser("operator", help="platform operator (reseller/MSP) logins")
    osub = operator.add_subparsers(dest="subcommand", required=True)
    p = osub.add_parser("create", help="create an operator login")
    p.add_argument("email")
    p.add_argument("--name")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=cmd_operator_create)

    tenant = sub.add_parser("tenant", help="companies")
    tsub = tenant.add_subparsers(dest="subcommand", required=True)
    p = tsub.add_parser("create", help="create a company")
    p.add_argument("slug")
    p.add_argument("--name", required=True, help="display name")
    p.add_argument("--registered-name")
    p.add_argument("--br-number")
    p.add_argument("--registration-location", choices=["HK", "CN", "MO", "SG", "OTHER"])
    p.add_argument("--data-storage-region", choices=["hk", "cn-mainland", "sg", "on-premises"])
    p.add_argument("--contracting-entity")
    p.add_argument("--local-contact-address")
    p.add_argument("--locale", choices=["en", "zh-hant"])
    p.add_argument("--domain", action="append", help="corporate email domain (repeat for several)")
    p.add_argument("--operator", help="email of the platform operator who runs it")
    p.add_argument("--admin-email", help="invite this person as the first administrator")
    p.add_argument("--admin-name")
    p.set_defaults(func=cmd_tenant_create)
    tsub.add_parser("list", help="list companies").set_defaults(func=cmd_tenant_list)
    p = tsub.add_parser("move", help="move a company's data to another database (dedicated: Premium)")
    p.add_argument("slug", help="company short name")
    p.add_argument("--to", required=True, help="database alias: default, or one of HARBOUR_TENANT_DATABASES")
    p.set_defaults(func=cmd_tenant_move)

    member = sub.add_parser("member", help="work accounts")
    msub = member.add_subparsers(dest="subcommand", required=True)
    p = msub.add_parser("invite", help="invite a member")
    p.add_argument("--tenant", required=True)
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--name-zh")
    p.add_argument("--mobile")
    p.add_argument("--employee-number")
    p.add_argument("--title")
    p.add_argument("--department", action="append", help="department name or id (repeat for several)")
    p.add_argument("--role", help="administrator, department_manager, general_member or a custom role name")
    p.set_defaults(func=cmd_member_invite)
    p = msub.add_parser("list", help="list members")
    p.add_argument("--tenant", required=True)
    p.add_argument("--q", help="search text")
    p.add_argument("--state", choices=["invited", "active", "suspended", "deactivated"])
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=cmd_member_list)
    for name, action_name, text in [
        ("suspend", "suspend_member", "freeze an account at once"),
        ("reactivate", "reactivate_member", "bring a suspended or deactivated account back"),
        ("deactivate", "deactivate_member", "end an account"),
    ]:
        p = msub.add_parser(name, help=text)
        p.add_argument("--tenant", required=True)
        p.add_argument("email")
        p.add_argument("--reason")
        p.set_defaults(func=_state_command(action_name))

    department = sub.add_parser("department", help="departments")
    dsub = department.add_subparsers(dest="subcommand", required=True)
    p = dsub.add_parser("list", help="show the department tree")
    p.add_argument("--tenant", required=True)
    p.set_defaults(func=cmd_department_list)
    p = dsub.add_parser("create", help="create a department")
    p.add_argument("--tenant", required=True)
    p.add_argument("name")
    p.add_argument("--name-zh")
    p.add_argument("--parent", help="parent department name or id")
    p.set_defaults(func=cmd_department_create)
    audit = sub.add_parser("audit", help="the operation log: verify, purge, checkpoint")
    asub = audit.add_subparsers(dest="subcommand", required=True)
    for name, func, text in (
        ("verify", cmd_audit_verify, "prove each company's log is intact (exit 1 if not)"),
        ("purge", cmd_audit_purge, "remove entries past the retention (batches of at most 1,000)"),
        ("checkpoint", cmd_audit_checkpoint, "record where each company's chain stands now"),
    ):
        p = asub.add_parser(name, help=text)
        p.add_argument("--tenant", help="one company's short name (default: every company)")
        if name == "purge":
            p.add_argument("--batch", type=int, help="entries per transaction (1-1000)")
        p.set_defaults(func=func)

    domain = sub.add_parser("domain", help="a company's email domains: verify, override, report")
    dsub2 = domain.add_subparsers(dest="subcommand", required=True)
    p = dsub2.add_parser("list", help="the company's domains and their verification")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=cmd_domain_list)
    for name, func, text in (
        ("add", cmd_domain_add, "add a domain and print the TXT record to publish"),
        ("verify", cmd_domain_verify, "look the TXT record up in DNS (exit 1 if not found)"),
        ("override", cmd_domain_override, "mark verified without DNS (needs --reason; logged)"),
    ):
        p = dsub2.add_parser(name, help=text)
        p.add_argument("name", help="the domain, such as company.com.hk")
        p.add_argument("--tenant", required=True, help="the company's short name")
        if name == "override":
            p.add_argument("--reason", required=True, help="why DNS verification is skipped")
        p.set_defaults(func=func)
    p = dsub2.add_parser("report", help="members outside the verified domains (exit 1 if any)")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=cmd_domain_report)

    login = sub.add_parser("login", help="sign-in protection")
    lsub = login.add_subparsers(dest="subcommand", required=True)
    p = lsub.add_parser("unlock", help="lift a sign-in lockout early")
    p.add_argument("email")
    p.set_defaults(func=cmd_login_unlock)

    security = sub.add_parser("security", help="security baseline")
    ssub = security.add_subparsers(dest="subcommand", required=True)
    p = ssub.add_parser("baseline", help="the baseline report (exit 1 if a SHALL rule fails)")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(func=cmd_security_baseline)

    compliance = sub.add_parser("compliance", help="PDPO compliance")
    csub = compliance.add_subparsers(dest="subcommand", required=True)
    p = csub.add_parser("report", help="the compliance report for an auditor or the PCPD (PDF, or HTML)")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.add_argument("--out", required=True, help="the file to write, e.g. report.pdf")
    p.add_argument("--html", action="store_true", help="write HTML instead of PDF")
    p.add_argument("--prepared-by", help="the name on the cover (default: the command's user)")
    p.set_defaults(func=cmd_compliance_report)

    imports = sub.add_parser("import", help="imports from other systems")
    isub = imports.add_subparsers(dest="subcommand", required=True)
    p = isub.add_parser("hr", help="an HR export (CSV or XLSX): a dry run, or --apply")
    p.add_argument("file")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.add_argument("--apply", action="store_true", help="apply the changes (default: show them only)")
    p.add_argument(
        "--full-export", action="store_true", help="the file is the whole workforce: absent = leaver"
    )
    p.add_argument(
        "--reconcile",
        action="store_true",
        help="compare every record with its account, also those HR has not changed since the last import",
    )
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="read FIELD from the column HEADER")
    p.set_defaults(func=cmd_import_hr)

    webhook = sub.add_parser("webhook", help="the HR webhook (hire/transfer/leave/rehire events)")
    wsub = webhook.add_subparsers(dest="subcommand", required=True)
    p = wsub.add_parser("create", help="a new webhook: its address and secret")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=cmd_webhook_create)
    p = wsub.add_parser("rotate", help="a new secret for a webhook")
    p.add_argument("id")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.set_defaults(func=cmd_webhook_rotate)

    scim = sub.add_parser("scim", help="SCIM 2.0 provisioning (Entra ID and other identity providers)")
    scsub = scim.add_subparsers(dest="subcommand", required=True)
    p = scsub.add_parser("token", help="a new bearer token for /scim/v2 (shown once)")
    p.add_argument("--tenant", required=True, help="the company's short name")
    p.add_argument("--name", default="SCIM", help="who uses it, e.g. 'Entra ID' (shown in the operation log)")
    p.set_defaults(func=cmd_scim_token)

    plan = sub.add_parser("plan", help="plans, subscriptions and prices")
    psub = plan.add_subparsers(dest="subcommand", required=True)
    psub.add_parser("list", help="show the plan catalogue").set_defaults(func=cmd_plan_list)
    p = psub.add_parser("show", help="a company's plan and quota use")
    p.add_argument("--tenant", required=True, help="company short name")
    p.set_defaults(func=cmd_plan_show)
    p = psub.add_parser("set", help="change a company's plan, seats or term")
    p.add_argument("--tenant", required=True, help="company short name")
    p.add_argument("--plan", required=True, help="plan code (see: harbour plan list)")
    p.add_argument("--seats", required=True, type=int)
    p.add_argument("--term", default="monthly", choices=["monthly", "annual"])
    p.add_argument("--price", help="negotiated HKD per seat per month (Premium)")
    p.set_defaults(func=cmd_plan_set)
    psub.add_parser("renew", help="roll over subscriptions whose period ended").set_defaults(
        func=cmd_plan_renew
    )
    p = psub.add_parser("price", help="cost calculator: seats × plan × term")
    p.add_argument("--plan", required=True)
    p.add_argument("--seats", required=True, type=int)
    p.add_argument("--term", default="annual", choices=["monthly", "annual"])
    p.add_argument("--price", help="a quoted HKD per seat per month instead of the catalogue's")
    p.add_argument("--discount", help="annual discount in per cent")
    p.set_defaults(func=cmd_plan_price)

    from harbour.integrations.dingtalk.commands import add_commands as add_dingtalk_commands

    add_dingtalk_commands(sub, tenant_actor=_tenant_actor, setup=_setup, out=console, err=err)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from harbour.integrations.dingtalk.commands import CommandError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (_CliError, CommandError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 2
    except Exception as exc:  # domain errors become one line; anything else is a bug and shows a traceback
        from harbour.core.errors import HarbourError

        if isinstance(exc, HarbourError):
            where = f" ({exc.field})" if exc.field else ""
            err.print(f"[red]error:[/red] {exc.message}{where}")
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
