"""Console pages of the DingTalk connector: the connection (setup, test, callback, robot, disconnect), the
run history, a run's plan with its per-item outcomes and decisions, received events and the robot's outbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.directory.forms import ActionForm
from harbour.directory.models import Member
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm, require_tenant_wide
from harbour.integrations.dingtalk import queries
from harbour.integrations.dingtalk.actions import connection as connection_actions
from harbour.integrations.dingtalk.actions import sync as sync_actions
from harbour.integrations.dingtalk.client.errors import error_class_for
from harbour.integrations.dingtalk.forms import ConnectionForm, DecideForm, RobotForm
from harbour.integrations.dingtalk.models import Connection, MemberLink, SyncItem, SyncRun
from harbour.integrations.dingtalk.permission_codes import MANAGE, VIEW

ITEMS_SHOWN = 500
LISTED = 200
TEST_KEY = "dingtalk_test"
CALLBACK_KEY = "dingtalk_callback"
SETTINGS = ("app_key", "qps_limit", "leaver_mode", "sync_interval_minutes", "oapi_base_url", "api_base_url")


def _may_manage(request: ConsoleRequest) -> bool:
    return bool(request.actor.access().tenant_wide(MANAGE))


def _connection_or_home(request: ConsoleRequest) -> Connection:
    return queries.get_connection_for(request.actor, action=MANAGE)


def _settings_form(request: ConsoleRequest, connection: Connection | None) -> ConnectionForm:
    data = request.POST if request.method == "POST" else None
    if connection is None:
        return ConnectionForm(data)
    initial = {name: getattr(connection, name) for name in SETTINGS}
    initial["paused"] = connection.state == Connection.State.PAUSED
    return ConnectionForm(data, connected=True, initial=initial)


def _link_chart(connection: Connection) -> Any:
    counts = queries.link_counts(connection)
    return bar_chart([(str(label), counts.get(key, 0)) for key, label in MemberLink.Situation.choices])


def _page(request: ConsoleRequest, form: ConnectionForm, robot_form: RobotForm | None = None) -> HttpResponse:
    connection = queries.get_connection(request.actor)
    context: dict[str, Any] = {
        "connection": connection,
        "form": form,
        "may_manage": _may_manage(request),
        "test": request.session.pop(TEST_KEY, None),
    }
    if connection is not None:
        context |= {
            "robot_form": robot_form or RobotForm(initial={"topics": connection.robot_topics}),
            "chart": _link_chart(connection),
            "callback_url": connection_actions.callback_address(connection),
            "callback_set": connection_actions.callback_is_set(connection),
            "minted": request.session.pop(CALLBACK_KEY, None),
            "runs": list(queries.runs_for(request.actor, connection)[:5]),
        }
    status = 400 if form.errors or (robot_form is not None and robot_form.errors) else 200
    return render(request, "dingtalk/connection.html", context, status=status)


@member_required
def connection_page(request: ConsoleRequest) -> HttpResponse:
    """Setup when not connected, settings when connected (POST needs ``dingtalk.manage``)."""
    require_tenant_wide(request.actor, VIEW)
    connection = queries.get_connection(request.actor)
    form = _settings_form(request, connection)
    if request.method == "POST":
        require_tenant_wide(request.actor, MANAGE)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v is not None}
            try:
                if connection is None:
                    connection_actions.connect(request.actor, **data)
                    messages.success(request, _("Connected. Test the connection, then plan the adoption."))
                else:
                    connection_actions.update_connection(request.actor, connection, **data)
                    messages.success(request, _("Settings saved."))
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                return redirect("dingtalk:connection")
    return _page(request, form)


@require_POST
@member_required
def test_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)
    result = connection_actions.test_connection(request.actor, connection)
    test = {"ok": result.ok, "message": result.message, "details": result.details}
    if request.htmx:
        context = {"test": test, "connection": connection, "oob": True}
        return render(request, "dingtalk/_test_result.html", context)
    request.session[TEST_KEY] = test
    return redirect("dingtalk:connection")


@require_POST
@member_required
def callback_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)
    token, aes_key = connection_actions.set_callback(request.actor, connection)
    request.session[CALLBACK_KEY] = {
        "url": connection_actions.callback_address(connection),
        "token": token,
        "aes_key": aes_key,
    }
    return redirect("dingtalk:connection")


@require_POST
@member_required
def robot_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)
    form = RobotForm(request.POST)
    if form.is_valid():
        try:
            connection_actions.set_robot(
                request.actor,
                connection,
                token=form.cleaned_data["token"],
                secret=form.cleaned_data["secret"],
                topics=form.cleaned_data["topics"],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Group robot saved."))
            return redirect("dingtalk:connection")
    return _page(request, _settings_form(request, connection), form)


@require_POST
@member_required
def robot_test_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)
    try:
        connection_actions.send_test_message(request.actor, connection)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Test message queued: it reaches the group within a minute."))
    return redirect("dingtalk:messages")


@member_required
def disconnect_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)

    def perform(form: ActionForm) -> HttpResponse:
        connection_actions.disconnect(request.actor, connection)
        messages.success(request, _("DingTalk disconnected. Nothing was changed in DingTalk."))
        return redirect("dingtalk:connection")

    confirmation = Confirmation(
        title=_("Disconnect DingTalk (AppKey %(key)s)?") % {"key": connection.app_key},
        consequences=[
            _("Harbour forgets which DingTalk departments and users its own are linked to."),
            _("The sync history, received events and the robot's outbox are deleted."),
            _("DingTalk itself is not changed; connecting again starts with a new adoption."),
        ],
        action_url=reverse("dingtalk:disconnect"),
        button=_("Disconnect"),
        cancel_url=reverse("dingtalk:connection"),
    )
    return confirm(request, confirmation, ActionForm, perform)


@require_POST
@member_required
def plan_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    connection = _connection_or_home(request)
    kind = request.POST.get("kind")
    try:
        if kind == SyncRun.Kind.ADOPT:
            run = sync_actions.plan_adoption(request.actor, connection)
        elif kind == SyncRun.Kind.SYNC:
            run = sync_actions.plan_sync(request.actor, connection, trigger=SyncRun.Trigger.MANUAL)
        else:
            raise Invalid(_("choose adoption or sync"), field="kind")
    except HarbourError as exc:
        messages.error(request, exc.message)
        return redirect("dingtalk:connection")
    messages.success(request, _("Planned: nothing has changed yet. Read the changes, then apply."))
    return redirect("dingtalk:run", run_id=run.pk)


# ------------------------------------------------------------------------------------------------ runs
@member_required
def runs_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, VIEW)
    connection = queries.get_connection(request.actor)
    runs = list(queries.runs_for(request.actor, connection)[:LISTED]) if connection else []
    return render(request, "dingtalk/runs.html", {"connection": connection, "runs": runs})


def _explain(code: str) -> str:
    return str(error_class_for(code).explanation) if code else ""


def _rows(item: SyncItem) -> list[tuple[str, Any, Any]]:
    """Each field the item sends (or, adopting, reads): DingTalk's value before → the value after."""
    names = list(dict.fromkeys([*item.payload, *item.before]))
    return [(name, item.before.get(name), item.payload.get(name)) for name in names]


@member_required
def run_page(request: ConsoleRequest, run_id: str) -> HttpResponse:
    require_tenant_wide(request.actor, VIEW)
    run = queries.get_run_for(request.actor, run_id)
    op = request.GET.get("op") or None
    outcome = request.GET.get("outcome")
    op = op if op in SyncItem.Op.values else None
    outcome = outcome if outcome in SyncItem.Outcome.values and outcome is not None else None
    items = list(queries.items_of(run, outcome=outcome, op=op).order_by("position")[: ITEMS_SHOWN + 1])
    more = len(items) > ITEMS_SHOWN
    items = items[:ITEMS_SHOWN]
    candidate_ids = {c for item in items for c in item.candidates}
    labels = {
        str(m.pk): f"{m.name} <{m.email}>"
        for m in Member.objects.for_tenant(run.tenant_id).filter(pk__in=candidate_ids)
    }
    groups: dict[str, dict[str, Any]] = {}
    op_labels = dict(SyncItem.Op.choices)
    for item in items:
        item.rows = _rows(item)  # type: ignore[attr-defined]
        item.explanation = _explain(item.error_code)  # type: ignore[attr-defined]
        item.choices = [(c, labels.get(str(c), str(c))) for c in item.candidates]  # type: ignore[attr-defined]
        group = groups.setdefault(
            item.op, {"op": item.op, "label": op_labels.get(item.op, item.op), "items": []}
        )
        group["items"].append(item)
    may_manage = _may_manage(request)
    context = {
        "run": run,
        "groups": list(groups.values()),
        "more": more,
        "op": op,
        "outcome": outcome,
        "ops": [(key, label) for key, label in SyncItem.Op.choices if run.counts.get(key)],
        "may_apply": may_manage and run.state in (SyncRun.State.PLANNED, SyncRun.State.FAILED),
        "may_decide": may_manage,
    }
    return render(request, "dingtalk/run.html", context)


@require_POST
@member_required
def apply_page(request: ConsoleRequest, run_id: str) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    run = queries.get_run_for(request.actor, run_id)
    try:
        sync_actions.apply_in_background(request.actor, run)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Applying in the background; this page shows each change's outcome."))
    return redirect("dingtalk:run", run_id=run.pk)


def _item_action(request: ConsoleRequest, item_id: str, act: Any, done: str) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    item = queries.get_item_for(request.actor, item_id)
    try:
        act(item)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"label": item.label})
    return redirect("dingtalk:run", run_id=item.run_id)


@require_POST
@member_required
def confirm_item_page(request: ConsoleRequest, item_id: str) -> HttpResponse:
    return _item_action(
        request,
        item_id,
        lambda item: sync_actions.confirm_item(request.actor, item),
        _("Confirmed: %(label)s will be applied."),
    )


@require_POST
@member_required
def skip_item_page(request: ConsoleRequest, item_id: str) -> HttpResponse:
    return _item_action(
        request, item_id, lambda item: sync_actions.skip_item(request.actor, item), _("Set aside: %(label)s.")
    )


def chosen_member(tenant_id: Any, item: SyncItem, member_id: Any, email: str) -> Member | None:
    """The account a person chose for an item: one of its candidates, or any account by its address."""
    members = Member.objects.for_tenant(tenant_id)
    if member_id:
        found = members.filter(pk=member_id).first()
        if found is None or str(found.pk) not in {str(c) for c in item.candidates}:
            raise Invalid(_("choose one of the accounts the DingTalk user may be"), field="member")
        return found
    if email:
        found = members.filter(email__iexact=email.strip()).first()
        if found is None:
            raise Invalid(_("no account has this email address"), field="email")
        return found
    return None


@require_POST
@member_required
def decide_item_page(request: ConsoleRequest, item_id: str) -> HttpResponse:
    require_tenant_wide(request.actor, MANAGE)
    item = queries.get_item_for(request.actor, item_id)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("choose an account, or none"), field="member")
        member = chosen_member(
            request.tenant.pk, item, form.cleaned_data["member"], form.cleaned_data["email"]
        )
        sync_actions.decide_item(request.actor, item, member)
    except HarbourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decided: %(label)s") % {"label": item.label})
    return redirect("dingtalk:run", run_id=item.run_id)


# ------------------------------------------------------------------------------------------------ logs
@member_required
def events_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, VIEW)
    connection = queries.get_connection(request.actor)
    events = list(queries.events_for(request.actor, connection)[:LISTED]) if connection else []
    return render(request, "dingtalk/events.html", {"connection": connection, "events": events})


@member_required
def messages_page(request: ConsoleRequest) -> HttpResponse:
    require_tenant_wide(request.actor, VIEW)
    connection = queries.get_connection(request.actor)
    outbox = list(connection.robot_messages.order_by("-created_at")[:LISTED]) if connection else []
    context = {"connection": connection, "outbox": outbox, "may_manage": _may_manage(request)}
    return render(request, "dingtalk/messages.html", context)
