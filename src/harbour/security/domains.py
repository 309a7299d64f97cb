"""Corporate domain binding: the company's email domains, their verification, and who falls outside.

Which domains a company has is its profile's list (``Tenant.email_domains``, edited here or on the company
page); whether each is proven is a ``TenantDomain`` row, verified by a DNS TXT record or, where DNS cannot
be changed in time, by an audited override with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.actions.tenants import clean_domains, update_tenant
from harbour.directory.models import Member, MemberState
from harbour.security import dns_check
from harbour.security.models import TenantDomain
from harbour.security.queries import verified_domains


@dataclass(frozen=True)
class DomainStatus:
    name: str
    record: TenantDomain | None

    @property
    def verified(self) -> bool:
        return self.record is not None and self.record.is_verified


def domain_statuses(actor: Actor) -> list[DomainStatus]:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.view", tenant)
    rows = {d.name: d for d in TenantDomain.objects.for_tenant(tenant.pk)}
    return [DomainStatus(name, rows.get(name)) for name in tenant.email_domains]


def _one_domain(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise Invalid(_("enter a domain name, such as company.com.hk"), field="name")
    try:
        return clean_domains([name])[0]
    except Invalid as exc:
        raise Invalid(exc.message, field="name") from None


def _row(tenant: Tenant, name: str) -> TenantDomain:
    if name not in tenant.email_domains:
        raise NotFound(_("%(domain)s is not one of the company's domains") % {"domain": name}, field="name")
    row, _created = TenantDomain.objects.for_tenant(tenant.pk).get_or_create(tenant_id=tenant.pk, name=name)
    return row


@tenant_atomic
def add_domain(actor: Actor, name: str) -> TenantDomain:
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant_id)
    require_permission(actor, "security.manage", tenant)
    domain = _one_domain(name)
    if domain not in tenant.email_domains:
        update_tenant(actor, tenant, email_domains=[*tenant.email_domains, domain])
    row = _row(tenant, domain)
    record(actor, "domain.added", target=row, after=row.snapshot())
    return row


@tenant_atomic
def remove_domain(actor: Actor, name: str) -> None:
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant_id)
    require_permission(actor, "security.manage", tenant)
    domain = _one_domain(name)
    row = _row(tenant, domain)
    update_tenant(actor, tenant, email_domains=[d for d in tenant.email_domains if d != domain])
    record(actor, "domain.removed", target=row, before=row.snapshot())
    row.delete()


def _mark_verified(actor: Actor, row: TenantDomain, method: str, reason: str = "") -> TenantDomain:
    before = row.snapshot()
    row.verified_at = now()
    row.method = method
    row.override_reason = reason
    try:
        row.save()
    except IntegrityError:
        raise Conflict(
            _("%(domain)s is already verified by another company") % {"domain": row.name}, field="name"
        ) from None
    kind = "domain.verified_override" if method == TenantDomain.Method.OVERRIDE else "domain.verified"
    record(actor, kind, target=row, before=before, after=row.snapshot(), reason=reason)
    return row


def check_domain(actor: Actor, name: str) -> TenantDomain:
    """Look the verification record up in DNS; verify the domain when it is published."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.manage", tenant)
    domain = _one_domain(name)
    token_row = _ensure_row(actor, domain)
    if token_row.is_verified:
        return token_row
    try:
        found, finding = dns_check.published(domain, token_row.txt_value)
    except dns_check.LookupFailed as exc:
        found, finding = False, f"DNS lookup failed: {exc}"
    return _record_check(actor, domain, found, finding)


@tenant_atomic
def _ensure_row(actor: Actor, domain: str) -> TenantDomain:
    return _row(Tenant.objects.get(pk=actor.tenant_id), domain)


@tenant_atomic
def _record_check(actor: Actor, domain: str, found: bool, finding: str) -> TenantDomain:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    row = TenantDomain.objects.for_tenant(tenant.pk).select_for_update().get(name=domain)
    row.last_checked_at = now()
    row.last_check_result = finding[:200]
    row.save(update_fields=["last_checked_at", "last_check_result"])
    if found and not row.is_verified:
        return _mark_verified(actor, row, TenantDomain.Method.DNS)
    if not found:
        record(actor, "domain.check_failed", target=row, finding=finding)
    return row


@tenant_atomic
def override_verification(actor: Actor, name: str, *, reason: str) -> TenantDomain:
    """Mark a domain verified without DNS (an administrator, or the server's CLI); the reason is kept."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.manage", tenant)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Invalid(_("say why DNS verification is being skipped (at least 10 characters)"), field="reason")
    row = _row(tenant, _one_domain(name))
    if row.is_verified:
        return row
    return _mark_verified(actor, row, TenantDomain.Method.OVERRIDE, reason)


def members_outside_domains(actor: Actor) -> QuerySet[Member]:
    """Members (not deactivated) whose address is outside the company's verified domains."""
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.view", tenant)
    return outside_members(tenant)


def outside_members(tenant: Tenant) -> QuerySet[Member]:
    inside = Q()
    for domain in verified_domains(tenant.pk):
        inside |= Q(email__iendswith="@" + domain)
    members = Member.objects.for_tenant(tenant.pk).exclude(state=MemberState.DEACTIVATED)
    return (members.exclude(inside) if inside else members).order_by("email")
