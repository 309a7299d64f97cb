"""The HR webhook: an HR system posts one event per person (hire, transfer, leave, rehire), signed.

Signature: ``X-Harbour-Signature: sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` under the
webhook's secret, with ``X-Harbour-Timestamp`` (Unix seconds) no more than five minutes from now; each event's
``id`` is accepted once (a replay is refused). An event becomes a one-record sync run, applied at once, so it
shows in the same reports as file imports — a leaver is frozen within the request.

Body: ``{"id": "evt-1", "type": "leave", "employee": {"employee_number": "E-1", "email": …, "name": …,
"department": …, "title": …, "manager_email": …, "hire_date": "2026-01-05", "end_date": …}}``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member, MemberState
from harbour.lifecycle.actions import apply_run, plan_file_import
from harbour.lifecycle.hr_file import FIELDS
from harbour.lifecycle.leavers import rehire
from harbour.lifecycle.models import HrWebhook, HrWebhookDelivery, SyncRun

TOLERANCE_SECONDS = 300
EVENT_TYPES = ("hire", "transfer", "leave", "rehire")
MAX_BODY = 64 * 1024


@tenant_atomic
def create_webhook(actor: Actor) -> tuple[HrWebhook, str]:
    """A new webhook and its secret (shown once)."""
    require_permission(actor, "lifecycle.manage", Tenant.objects.get(pk=actor.tenant_id))
    secret = secrets.token_urlsafe(32)
    webhook = HrWebhook.objects.create(tenant_id=actor.tenant_id, secret=secret)
    _audit(actor, "hr.webhook_created", webhook)
    return webhook, secret


@tenant_atomic
def rotate_secret(actor: Actor, webhook: HrWebhook) -> str:
    require_permission(actor, "lifecycle.manage", Tenant.objects.get(pk=actor.tenant_id))
    secret = secrets.token_urlsafe(32)
    webhook.secret = secret
    webhook.save(update_fields=["secret", "updated_at"])
    _audit(actor, "hr.webhook_secret_rotated", webhook)
    return secret


@tenant_atomic
def set_enabled(actor: Actor, webhook: HrWebhook, enabled: bool) -> HrWebhook:
    """Switch a webhook off (its events are refused with 404) or back on."""
    require_permission(actor, "lifecycle.manage", Tenant.objects.get(pk=actor.tenant_id))
    if webhook.enabled != enabled:
        webhook.enabled = enabled
        webhook.save(update_fields=["enabled", "updated_at"])
        _audit(actor, "hr.webhook_enabled" if enabled else "hr.webhook_disabled", webhook)
    return webhook


def _audit(actor: Actor, kind: str, webhook: HrWebhook, **data: Any) -> None:
    record(actor, kind, target=webhook, after=webhook.snapshot(), **data)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verified(webhook_id: str, timestamp: str, signed: str, body: bytes) -> HrWebhook:
    """The webhook, if the request is signed by its secret and fresh; refusals say why (never which part
    of a signature was wrong)."""
    try:
        webhook = HrWebhook.objects.across_tenants().filter(pk=webhook_id, enabled=True).first()
    except (ValueError, TypeError):
        webhook = None
    if webhook is None:
        raise NotFound(_("no such webhook"))
    if len(body) > MAX_BODY:
        raise Invalid(_("the event is larger than %(kb)d KB") % {"kb": MAX_BODY // 1024}, field="body")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise Forbidden(_("the X-Harbour-Timestamp header is missing or not a number")) from None
    if abs(time.time() - sent_at) > TOLERANCE_SECONDS:
        raise Forbidden(_("the event is stale: its timestamp is more than 5 minutes from now"))
    if not hmac.compare_digest(signature(webhook.secret, timestamp, body), signed or ""):
        raise Forbidden(_("the signature does not match"))
    return webhook


def _employee_file(employee: dict[str, Any], *, leaving: bool) -> bytes:
    unknown = set(employee) - set(FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise Invalid(_("%(field)s is not an employee field") % {"field": field}, field=f"employee.{field}")
    row = {name: str(employee.get(name) or "") for name in FIELDS}
    if leaving:
        row["status"] = "leaver"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS))
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode()


def receive(webhook: HrWebhook, body: bytes) -> dict[str, Any]:
    """Check the event, refuse a replay, and apply it at once."""
    try:
        event = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Invalid(_("the body is not JSON"), field="body") from None
    if not isinstance(event, dict):
        raise Invalid(_("the event is a JSON object"), field="body")
    event_id, kind, employee = event.get("id"), event.get("type"), event.get("employee")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 100:
        raise Invalid(_("the event needs an id (up to 100 characters)"), field="id")
    if kind not in EVENT_TYPES:
        raise Invalid(_("type is one of %(types)s") % {"types": ", ".join(EVENT_TYPES)}, field="type")
    if not isinstance(employee, dict):
        raise Invalid(_("the event needs an employee object"), field="employee")
    actor = SystemActor(webhook.tenant_id, "HR webhook")
    deliveries = HrWebhookDelivery.objects.for_tenant(webhook.tenant_id)
    try:
        with transaction.atomic():
            delivery = deliveries.create(
                tenant_id=webhook.tenant_id, webhook=webhook, event_id=event_id, event_type=kind
            )
    except IntegrityError:
        raise Conflict(_("event %(id)s was received already") % {"id": event_id}, field="id") from None
    try:
        result = _apply(actor, kind, employee, event_id)
    except Exception:
        deliveries.filter(pk=delivery.pk).delete()  # not taken: the sender may try again
        raise
    deliveries.filter(pk=delivery.pk).update(run=result.get("run_id"))
    HrWebhook.objects.for_tenant(webhook.tenant_id).filter(pk=webhook.pk).update(last_received_at=now())
    return result


def _apply(actor: SystemActor, kind: str, employee: dict[str, Any], event_id: str) -> dict[str, Any]:
    if kind == "rehire":
        return _rehire(actor, employee)
    data = _employee_file(employee, leaving=kind == "leave")
    run = plan_file_import(actor, data, f"webhook {event_id}", source=SyncRun.Source.WEBHOOK, events=True)
    run = apply_run(actor, run)
    return {"run_id": str(run.pk), "changes": {k: v for k, v in run.counts.items() if k != "outcomes" and v}}


def _rehire(actor: SystemActor, employee: dict[str, Any]) -> dict[str, Any]:
    members = Member.objects.for_tenant(actor.tenant_id)
    number, email = str(employee.get("employee_number") or ""), str(employee.get("email") or "").lower()
    member = (members.filter(employee_number=number).first() if number else None) or (
        members.filter(email=email).first() if email else None
    )
    if member is None:
        raise NotFound(_("no former employee with this number or email"), field="employee")
    if member.state in (MemberState.SUSPENDED, MemberState.DEACTIVATED):
        rehire(actor, member, reason="HR: rehired")
    return {"member_id": str(member.pk), "state": MemberState.ACTIVE.value}
