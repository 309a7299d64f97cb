"""Creating and editing tenants (companies)."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.models import Account, Locale, RegistrationLocation, StorageRegion, Tenant
from harbour.core.permissions import Actor, SystemActor, require_permission
from harbour.core.time import now
from harbour.directory.models import (
    BUILTIN_ROLE_DESCRIPTIONS,
    BuiltinRole,
    Member,
    MemberState,
    Role,
    RoleGrant,
)
from harbour.directory.permission_codes import (
    ADMINISTRATOR_PERMISSIONS,
    COMPLIANCE_OFFICER_PERMISSIONS,
    DEPARTMENT_MANAGER_PERMISSIONS,
    GENERAL_MEMBER_PERMISSIONS,
)
from harbour.directory.validation import clean_text, field_label

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_BR_NUMBER = re.compile(r"^\d{8}(?:-\d{3}-\d{2}-\d{2}-[0-9A-Z])?$")

BUILTIN_ROLES: list[tuple[str, str, str, list[str], bool]] = [
    (
        BuiltinRole.ADMINISTRATOR,
        "Administrator",
        BUILTIN_ROLE_DESCRIPTIONS[BuiltinRole.ADMINISTRATOR],
        ADMINISTRATOR_PERMISSIONS,
        False,
    ),
    (
        BuiltinRole.DEPARTMENT_MANAGER,
        "Department Manager",
        BUILTIN_ROLE_DESCRIPTIONS[BuiltinRole.DEPARTMENT_MANAGER],
        DEPARTMENT_MANAGER_PERMISSIONS,
        True,
    ),
    (
        BuiltinRole.GENERAL_MEMBER,
        "General Member",
        BUILTIN_ROLE_DESCRIPTIONS[BuiltinRole.GENERAL_MEMBER],
        GENERAL_MEMBER_PERMISSIONS,
        False,
    ),
    (
        BuiltinRole.COMPLIANCE_OFFICER,
        "Compliance Officer",
        BUILTIN_ROLE_DESCRIPTIONS[BuiltinRole.COMPLIANCE_OFFICER],
        COMPLIANCE_OFFICER_PERMISSIONS,
        False,
    ),
]


def clean_domains(domains: Any) -> list[str]:
    if not isinstance(domains, list | tuple):
        raise Invalid(_("email domains must be a list"), field="email_domains")
    cleaned: list[str] = []
    for raw in domains:
        domain = str(raw).strip().lower().lstrip("@")
        if not _DOMAIN.match(domain):
            raise Invalid(_("%(value)r is not a domain name") % {"value": raw}, field="email_domains")
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def _clean_profile(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    texts = {
        "display_name": 200,
        "registered_name": 200,
        "contracting_entity": 200,
        "local_contact_address": 1000,
    }
    for name, limit in texts.items():
        if name in values:
            out[name] = clean_text(
                values[name], field=name, max_length=limit, required=name == "display_name"
            )
    if "br_number" in values:
        br = (values["br_number"] or "").strip().upper()
        if br and not _BR_NUMBER.match(br):
            raise Invalid(_("a Business Registration number has 8 digits"), field="br_number")
        out["br_number"] = br
    choices = {
        "registration_location": RegistrationLocation.values,
        "data_storage_region": StorageRegion.values,
        "locale": Locale.values,
    }
    for name, allowed in choices.items():
        if name in values:
            if values[name] not in allowed:
                raise Invalid(
                    _("%(field)s must be one of %(choices)s")
                    % {"field": field_label(name), "choices": ", ".join(allowed)},
                    field=name,
                )
            out[name] = values[name]
    if "time_zone" in values:
        if values["time_zone"] not in zoneinfo.available_timezones():
            raise Invalid(
                _("%(value)r is not a time zone") % {"value": values["time_zone"]}, field="time_zone"
            )
        out["time_zone"] = values["time_zone"]
    if "email_domains" in values:
        out["email_domains"] = clean_domains(values["email_domains"])
    unknown = set(values) - set(out)
    if unknown:
        field = sorted(unknown)[0]
        raise Invalid(_("unknown field %(field)r") % {"field": field}, field=field)
    return out


def create_builtin_roles(tenant: Tenant) -> dict[str, Role]:
    return {
        key: Role.objects.create(
            tenant_id=tenant.id,
            name=name,
            builtin=key,
            description=description,
            permissions=sorted(perms),
            requires_scope=scoped,
        )
        for key, name, description, perms, scoped in BUILTIN_ROLES
    }


@transaction.atomic
def create_tenant(creator: Account | None, *, slug: str, display_name: str, **profile: Any) -> Tenant:
    """Create a company with its built-in roles.

    ``creator`` is the platform operator doing it (console/API) or None (the server CLI). An operator
    receives an Administrator work account in the new tenant, marked external, so they can run it.
    """
    if creator is not None and not creator.is_operator:
        raise Forbidden(_("only platform operators can create companies"))
    slug = (slug or "").strip().lower()
    if not _SLUG.match(slug):
        raise Invalid(_("the short name uses lowercase letters, digits and hyphens (max 63)"), field="slug")
    values = _clean_profile({"display_name": display_name, **profile})
    if Tenant.objects.filter(slug=slug).exists():
        raise Conflict(_("the short name %(slug)r is taken") % {"slug": slug}, field="slug")
    tenant = Tenant.objects.create(slug=slug, operator=creator, **values)
    roles = create_builtin_roles(tenant)
    label = f"operator {creator.email}" if creator is not None else "harbour cli"
    system = SystemActor(tenant.id, label)
    record(system, "tenant.created", target=tenant, after=tenant.snapshot())
    if creator is not None:
        member = Member.objects.create(
            tenant_id=tenant.id,
            account=creator,
            name=creator.display_name or creator.email,
            email=creator.email,
            is_external=True,
            state=MemberState.ACTIVE,
            state_changed_at=now(),
            title="Platform operator",
        )
        RoleGrant.objects.create(
            tenant_id=tenant.id,
            member=member,
            role=roles[BuiltinRole.ADMINISTRATOR],
            reason="operator of this company",
        )
        record(system, "member.invited", target=member, after=member.snapshot())
        record(system, "grant.created", target=member, role="Administrator", member=str(member.pk))
    return tenant


@tenant_atomic
def update_tenant(actor: Actor, tenant: Tenant, **changes: Any) -> Tenant:
    require_permission(actor, "tenant.update", tenant)
    values = _clean_profile(changes)
    before = tenant.snapshot()
    for name, value in values.items():
        setattr(tenant, name, value)
    tenant.save()
    record(actor, "tenant.updated", target=tenant, before=before, after=tenant.snapshot())
    return tenant
