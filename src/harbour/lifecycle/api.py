"""REST API v1 of account lifecycle: HR imports (plan a file, read a run, apply it, decide disputed
records), reconciliation links, role rules and HR webhooks."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile

from harbour.core.errors import Invalid, NotFound
from harbour.directory.models import Department, Member, Role
from harbour.lifecycle import webhook as webhooks
from harbour.lifecycle.actions import apply_in_background, decide_disputed, plan_file_import
from harbour.lifecycle.links import counts_by_situation
from harbour.lifecycle.models import SourceLink, SyncRun
from harbour.lifecycle.queries import (
    get_item_for,
    get_run_for,
    get_webhook_for,
    items_of,
    links_for,
    rules_for,
    runs_for,
    webhooks_for,
)
from harbour.lifecycle.rules import create_rule, delete_rule, get_rule_for
from harbour.lifecycle.schemas import (
    DecisionIn,
    ItemOut,
    LinkOut,
    LinksOut,
    QueuedOut,
    RuleIn,
    RuleOut,
    RunDetailOut,
    RunOut,
    WebhookOut,
    WebhookPatch,
)

router = Router(tags=["lifecycle"])
ITEMS_SHOWN = 1000


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@router.get("/lifecycle/imports", response=list[RunOut], summary="HR imports, newest first")
def list_imports(request: HttpRequest) -> list[RunOut]:
    return [RunOut.of(run) for run in runs_for(_actor(request))[:100]]


@router.post("/lifecycle/imports", response={201: RunDetailOut}, summary="Plan an HR file (a dry run)")
def plan_import(
    request: HttpRequest,
    file: File[UploadedFile],
    full_export: Form[bool] = False,
    reconcile: Form[bool] = False,
    mapping: Form[str] = "",
) -> tuple[int, RunDetailOut]:
    try:
        fields = json.loads(mapping) if mapping.strip() else {}
    except json.JSONDecodeError:
        raise Invalid(_('mapping is a JSON object: {"field": "Header"}'), field="mapping") from None
    if not isinstance(fields, dict):
        raise Invalid(_('mapping is a JSON object: {"field": "Header"}'), field="mapping")
    run = plan_file_import(
        _actor(request),
        file.read(),
        file.name or "upload",
        mapping=fields or None,
        full_export=full_export,
        reconcile=reconcile,
    )
    return 201, _detail(run)


def _detail(run: Any) -> RunDetailOut:
    items = [ItemOut.of(i) for i in items_of(run).order_by("position")[:ITEMS_SHOWN]]
    return RunDetailOut(**RunOut.of(run).dict(), items=items)


@router.get("/lifecycle/imports/{run_id}", response=RunDetailOut, summary="One import and its changes")
def get_import(request: HttpRequest, run_id: str) -> RunDetailOut:
    return _detail(get_run_for(_actor(request), run_id))


@router.post(
    "/lifecycle/imports/{run_id}/apply",
    response={202: QueuedOut},
    summary="Apply a planned import (background)",
)
def apply_import(request: HttpRequest, run_id: str) -> tuple[int, QueuedOut]:
    actor = _actor(request)
    run = get_run_for(actor, run_id)
    apply_in_background(actor, run)
    return 202, QueuedOut(run_id=run.pk, state="queued")


@router.post(
    "/lifecycle/imports/{run_id}/items/{item_id}/decide",
    response=ItemOut,
    summary="Decide a disputed record: the account it belongs to, or none",
)
def decide_item(request: HttpRequest, run_id: str, item_id: str, body: DecisionIn) -> ItemOut:
    actor = _actor(request)
    item = get_item_for(actor, get_run_for(actor, run_id), item_id)
    member = None
    if body.member_id is not None:
        member = Member.objects.for_tenant(actor.tenant_id).filter(pk=body.member_id).first()
        if member is None:
            raise Invalid(_("choose one of the accounts the record points at"), field="member_id")
    return ItemOut.of(decide_disputed(actor, item, member))


@router.get("/lifecycle/links", response=LinksOut, summary="Reconciliation: each HR record and its situation")
def list_links(
    request: HttpRequest, source: str | None = None, situation: str | None = None, limit: int = 500
) -> LinksOut:
    actor = _actor(request)
    if source is not None and source not in SyncRun.Source.values:
        raise Invalid(_("source is one of %(s)s") % {"s": ", ".join(SyncRun.Source.values)}, field="source")
    if situation is not None and situation not in SourceLink.Situation.values:
        raise Invalid(
            _("situation is one of %(s)s") % {"s": ", ".join(SourceLink.Situation.values)}, field="situation"
        )
    if not 1 <= limit <= 5000:
        raise Invalid(_("limit is between 1 and 5000"), field="limit")
    links = links_for(actor, source=source, situation=situation).order_by("source", "external_id")[:limit]
    return LinksOut(
        counts=counts_by_situation(actor.tenant_id, source), links=[LinkOut.of(link) for link in links]
    )


@router.get("/lifecycle/rules", response=list[RuleOut], summary="Role rules")
def list_rules(request: HttpRequest) -> list[RuleOut]:
    return [RuleOut.of(rule) for rule in rules_for(_actor(request))]


@router.post("/lifecycle/rules", response={201: RuleOut}, summary="Add a role rule")
def add_rule(request: HttpRequest, body: RuleIn) -> tuple[int, RuleOut]:
    actor = _actor(request)
    role = Role.objects.for_tenant(actor.tenant_id).filter(pk=body.role_id).first()
    if role is None:
        raise NotFound(_("no such role"), field="role_id")
    department = None
    if body.department_id is not None:
        department = Department.objects.for_tenant(actor.tenant_id).filter(pk=body.department_id).first()
        if department is None:
            raise NotFound(_("no such department"), field="department_id")
    rule = create_rule(
        actor,
        role=role,
        department=department,
        include_subdepartments=body.include_subdepartments,
        title_contains=body.title_contains,
    )
    return 201, RuleOut.of(rule)


@router.delete("/lifecycle/rules/{rule_id}", response={204: None}, summary="Remove a role rule")
def remove_rule(request: HttpRequest, rule_id: str) -> tuple[int, None]:
    actor = _actor(request)
    delete_rule(actor, get_rule_for(actor, rule_id))
    return 204, None


def _address(webhook_id: object) -> str:
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}/hooks/hr/{webhook_id}/"


@router.get("/lifecycle/webhooks", response=list[WebhookOut], summary="HR webhooks")
def list_webhooks(request: HttpRequest) -> list[WebhookOut]:
    return [WebhookOut.of(hook, _address(hook.pk)) for hook in webhooks_for(_actor(request))]


@router.post("/lifecycle/webhooks", response={201: WebhookOut}, summary="New HR webhook (secret shown once)")
def add_webhook(request: HttpRequest) -> tuple[int, WebhookOut]:
    webhook, secret = webhooks.create_webhook(_actor(request))
    return 201, WebhookOut.of(webhook, _address(webhook.pk), secret)


@router.post(
    "/lifecycle/webhooks/{webhook_id}/rotate", response=WebhookOut, summary="New signing secret (shown once)"
)
def rotate_webhook(request: HttpRequest, webhook_id: str) -> WebhookOut:
    actor = _actor(request)
    webhook = get_webhook_for(actor, webhook_id)
    secret = webhooks.rotate_secret(actor, webhook)
    return WebhookOut.of(webhook, _address(webhook.pk), secret)


@router.patch(
    "/lifecycle/webhooks/{webhook_id}", response=WebhookOut, summary="Switch an HR webhook on or off"
)
def change_webhook(request: HttpRequest, webhook_id: str, body: WebhookPatch) -> WebhookOut:
    actor = _actor(request)
    webhook = webhooks.set_enabled(actor, get_webhook_for(actor, webhook_id), body.enabled)
    return WebhookOut.of(webhook, _address(webhook.pk))
