"""Writes of the security app: settings. Every change is audited with before and after."""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.audit.retention import policy_of, set_retention
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.models import Member
from harbour.directory.queries import administrators
from harbour.security.models import BaselineException, SecuritySettings

MAX_SESSION_MINUTES = 30 * 24 * 60
MIN_SESSION_MINUTES = 5
MAX_TEMPORARY_DAYS = 365
MAX_NETWORKS = 200

# Checks from apps above (identity: SSO only needs a working connection, ...): each answers
# (field, message) when the proposed settings would lock the company out.
SettingsCheck = Callable[[Actor, SecuritySettings], "tuple[str, str] | None"]
_CHECKS: list[SettingsCheck] = []


def register_settings_check(check: SettingsCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def _boolean(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(_("%(field)s must be true or false") % {"field": field}, field=field)


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(
            _("%(field)s must be a whole number from %(low)d to %(high)d")
            % {"field": field, "low": low, "high": high},
            field=field,
        )
    return value


def clean_networks(value: Any) -> list[str]:
    field = "allowed_networks"
    if not isinstance(value, list | tuple):
        raise Invalid(_("allowed networks must be a list of addresses or CIDR ranges"), field=field)
    if len(value) > MAX_NETWORKS:
        raise Invalid(_("at most %(n)d networks may be listed") % {"n": MAX_NETWORKS}, field=field)
    cleaned: list[str] = []
    for raw in value:
        try:
            network = ipaddress.ip_network(str(raw).strip(), strict=False)
        except ValueError:
            raise Invalid(
                _("%(value)r is not an IP address or CIDR range (such as 203.0.113.0/24)") % {"value": raw},
                field=field,
            ) from None
        if str(network) not in cleaned:
            cleaned.append(str(network))
    return cleaned


def _time(value: Any, field: str) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    try:
        return dt.time.fromisoformat(str(value)).replace(second=0, microsecond=0)
    except ValueError:
        raise Invalid(_("%(value)r is not a time of day (HH:MM)") % {"value": value}, field=field) from None


def _days(value: Any) -> list[int]:
    field = "working_days"
    if not isinstance(value, list | tuple) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in value
    ):
        raise Invalid(_("working days are numbers from 0 (Monday) to 6 (Sunday)"), field=field)
    return sorted(set(value))


def _break_glass(actor: Actor, value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        member_id = uuid.UUID(str(value))
    except ValueError:
        raise Invalid(_("no such member"), field="break_glass_member") from None
    if not administrators(actor.tenant_id).filter(pk=member_id).exists():
        raise Invalid(
            _("the break-glass account must be an active administrator of the company"),
            field="break_glass_member",
        )
    return member_id


_CLEANERS: dict[str, Callable[[Actor, Any], Any]] = {
    "sso_only": lambda _a, v: _boolean(v, "sso_only"),
    "mfa_for_admins": lambda _a, v: _boolean(v, "mfa_for_admins"),
    "domain_binding": lambda _a, v: _boolean(v, "domain_binding"),
    "company_devices_only": lambda _a, v: _boolean(v, "company_devices_only"),
    "allowed_networks": lambda _a, v: clean_networks(v),
    "refuse_outside_networks": lambda _a, v: _boolean(v, "refuse_outside_networks"),
    "working_hours_start": lambda _a, v: _time(v, "working_hours_start"),
    "working_hours_end": lambda _a, v: _time(v, "working_hours_end"),
    "working_days": lambda _a, v: _days(v),
    "session_lifetime_minutes": lambda _a, v: _whole(
        v, "session_lifetime_minutes", MIN_SESSION_MINUTES, MAX_SESSION_MINUTES
    ),
    "external_auto_join": lambda _a, v: _boolean(v, "external_auto_join"),
    "temporary_max_days": lambda _a, v: _whole(v, "temporary_max_days", 1, MAX_TEMPORARY_DAYS),
    "break_glass_member": _break_glass,
}


def _saved_settings(tenant_id: uuid.UUID) -> SecuritySettings:
    SecuritySettings.objects.for_tenant(tenant_id).get_or_create(tenant_id=tenant_id)
    return SecuritySettings.objects.for_tenant(tenant_id).select_for_update().get()


@tenant_atomic
def update_settings(actor: Actor, values: dict[str, Any]) -> SecuritySettings:
    """Change some of the company's security settings (``audit_retention_days`` included); all or none."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.manage", tenant)
    unknown = set(values) - set(_CLEANERS) - {"audit_retention_days"}
    if unknown:
        field = sorted(unknown)[0]
        raise Invalid(_("%(field)s is not a security setting") % {"field": field}, field=field)
    cleaned = {name: _CLEANERS[name](actor, value) for name, value in values.items() if name in _CLEANERS}
    settings = _saved_settings(actor.tenant_id)
    before = settings.snapshot()
    for name, value in cleaned.items():
        setattr(settings, "break_glass_member_id" if name == "break_glass_member" else name, value)
    if settings.sso_only and settings.break_glass_member_id is None:
        raise Invalid(
            _("choose a break-glass administrator before switching on SSO only"), field="break_glass_member"
        )
    if settings.refuse_outside_networks and not settings.allowed_networks:
        raise Invalid(_("list the allowed networks before refusing others"), field="allowed_networks")
    for check in _CHECKS:
        problem = check(actor, settings)
        if problem is not None:
            raise Invalid(problem[1], field=problem[0])
    after = settings.snapshot()
    if after != before:
        settings.save()
        changed = sorted(k for k in after if after[k] != before.get(k))
        record(
            actor,
            "security.settings_changed",
            target=settings,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    if "audit_retention_days" in values:
        days = values["audit_retention_days"]
        if isinstance(days, bool) or not isinstance(days, int):
            raise Invalid(_("audit retention must be a whole number of days"), field="audit_retention_days")
        if days != policy_of(actor.tenant_id).retention_days:
            try:
                set_retention(actor, days=days)
            except Invalid as exc:  # named as this page and API call it
                raise Invalid(exc.message, field="audit_retention_days") from None
    return settings


MAX_EXCEPTION_DAYS = 366


@tenant_atomic
def grant_exception(
    actor: Actor, *, rule_id: str, rationale: str, expires_at: dt.datetime
) -> BaselineException:
    """Accept a deviation from one baseline rule, with the reason, until a date (at most a year)."""
    from harbour.security.baseline import rule_ids

    require_permission(actor, "security.manage", Tenant.objects.get(pk=actor.tenant_id))
    if rule_id not in rule_ids():
        raise Invalid(_("%(rule)r is not a baseline rule") % {"rule": rule_id}, field="rule_id")
    rationale = (rationale or "").strip()
    if len(rationale) < 10:
        raise Invalid(_("explain why the deviation is accepted (at least 10 characters)"), field="rationale")
    if not isinstance(expires_at, dt.datetime) or expires_at.tzinfo is None:
        raise Invalid(_("give the date the exception ends"), field="expires_at")
    if expires_at <= now():
        raise Invalid(_("the exception must end in the future"), field="expires_at")
    if expires_at > now() + dt.timedelta(days=MAX_EXCEPTION_DAYS):
        raise Invalid(_("an exception lasts at most a year; review it then"), field="expires_at")
    granted_by = actor if isinstance(actor, Member) else None
    exception = BaselineException.objects.create(
        tenant_id=actor.tenant_id,
        rule_id=rule_id,
        rationale=rationale,
        expires_at=expires_at,
        granted_by=granted_by,
    )
    record(actor, "baseline.exception_granted", target=exception, after=exception.snapshot())
    return exception


@tenant_atomic
def revoke_exception(actor: Actor, exception: BaselineException) -> BaselineException:
    require_permission(actor, "security.manage", Tenant.objects.get(pk=actor.tenant_id))
    if exception.revoked_at is not None:
        return exception
    before = exception.snapshot()
    exception.revoked_at = now()
    exception.save(update_fields=["revoked_at", "updated_at"])
    record(actor, "baseline.exception_revoked", target=exception, before=before, after=exception.snapshot())
    return exception
