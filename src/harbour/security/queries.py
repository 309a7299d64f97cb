"""Reads of security data: a company's settings, domains and incidents."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.security.models import BaselineException, Incident, SecuritySettings, TenantDomain


def settings_of(tenant_id: uuid.UUID) -> SecuritySettings:
    """The company's settings; the defaults (unsaved) while nobody has changed them."""
    found = SecuritySettings.objects.for_tenant(tenant_id).first()
    return found if found is not None else SecuritySettings(tenant_id=tenant_id)


def settings_for(actor: Actor) -> SecuritySettings:
    require_permission(actor, "security.view", Tenant.objects.get(pk=actor.tenant_id))
    return settings_of(actor.tenant_id)


def domains_of(tenant_id: uuid.UUID) -> QuerySet[TenantDomain]:
    return TenantDomain.objects.for_tenant(tenant_id)


def verified_domains(tenant_id: uuid.UUID) -> list[str]:
    """The company's domains (its profile's list) that are proven to be its own."""
    declared = Tenant.objects.filter(pk=tenant_id).values_list("email_domains", flat=True).first() or []
    proven = set(domains_of(tenant_id).filter(verified_at__isnull=False).values_list("name", flat=True))
    return [name for name in declared if name in proven]


def incidents_for(actor: Actor) -> QuerySet[Incident]:
    require_permission(actor, "incident.view", Tenant.objects.get(pk=actor.tenant_id))
    return Incident.objects.for_tenant(actor.tenant_id).select_related("subject", "owner")


def get_incident_for(actor: Actor, incident_id: uuid.UUID | str) -> Incident:
    try:
        return incidents_for(actor).get(pk=incident_id)
    except (Incident.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such incident"), field="incident_id") from None


def exceptions_for(actor: Actor) -> QuerySet[BaselineException]:
    require_permission(actor, "security.view", Tenant.objects.get(pk=actor.tenant_id))
    return BaselineException.objects.for_tenant(actor.tenant_id).select_related("granted_by")


def get_exception_for(actor: Actor, exception_id: uuid.UUID | str) -> BaselineException:
    try:
        return exceptions_for(actor).get(pk=exception_id)
    except (BaselineException.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such exception"), field="exception_id") from None
