"""What every procurement write checks first: the permission, and who the acting person is."""

from __future__ import annotations

from django.utils.translation import gettext as _

from harbour.core.errors import Conflict
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.procurement.models import Quote

MANAGE = "procurement.manage"


def require_manage(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def ensure_open(quote: Quote) -> None:
    """A decided purchase is locked: its record is what Legal and Information Security signed."""
    if quote.is_decided:
        raise Conflict(
            _("the purchase was %(status)s and is locked") % {"status": quote.get_status_display().lower()},
            field="status",
        )
