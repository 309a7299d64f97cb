"""Reads of procurement data. Lists start from the actor's company and need ``procurement.view``
company-wide; single objects go through ``get_<thing>_for`` (missing, another company's and forbidden all
answer NotFound)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from harbour.core.errors import Forbidden, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, can
from harbour.core.time import today_in_hong_kong
from harbour.procurement.checklist import Checklist, PartnerMatch, evaluate, match_entry
from harbour.procurement.models import PartnerList, PartnerListEntry, Quote, Reseller
from harbour.procurement.names import br_key, name_key

VIEW = "procurement.view"


def require_view(actor: Actor) -> None:
    """Lists are refused (403) to an actor without the view permission, rather than shown empty."""
    if not actor.access().tenant_wide(VIEW):
        raise Forbidden(_("you do not have the permission %(action)r") % {"action": VIEW})


def company_of(actor: Actor) -> Tenant:
    return Tenant.objects.get(pk=actor.tenant_id)


# ---------------------------------------------------------------------------------------------- resellers
def resellers_visible_to(actor: Actor) -> QuerySet[Reseller]:
    qs = Reseller.objects.for_tenant(actor.tenant_id)
    return qs if actor.access().tenant_wide(VIEW) else qs.none()


def search_resellers(actor: Actor, q: str = "") -> QuerySet[Reseller]:
    qs = resellers_visible_to(actor)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(registered_name__icontains=q) | Q(br_number__startswith=q.upper())
        )
    return qs


def get_reseller_for(actor: Actor, reseller_id: uuid.UUID | str, action: str = VIEW) -> Reseller:
    try:
        reseller = Reseller.objects.for_tenant(actor.tenant_id).get(pk=reseller_id)
    except (Reseller.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such reseller"), field="reseller_id") from None
    if not can(actor, VIEW, reseller) or not can(actor, action, reseller):
        raise NotFound(_("no such reseller"), field="reseller_id")
    return reseller


# ------------------------------------------------------------------------------------------ partner lists
def partner_lists_visible_to(actor: Actor) -> QuerySet[PartnerList]:
    qs = PartnerList.objects.for_tenant(actor.tenant_id)
    return qs if actor.access().tenant_wide(VIEW) else qs.none()


def get_partner_list_for(actor: Actor, list_id: uuid.UUID | str) -> PartnerList:
    try:
        partner_list = PartnerList.objects.for_tenant(actor.tenant_id).get(pk=list_id)
    except (PartnerList.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such partner list"), field="list_id") from None
    if not can(actor, VIEW, partner_list):
        raise NotFound(_("no such partner list"), field="list_id")
    return partner_list


def newest_partner_list(tenant: Tenant | uuid.UUID) -> PartnerList | None:
    """The list DingTalk published last (of two imports of the same day, the later import)."""
    return PartnerList.objects.for_tenant(tenant).order_by("-published_on", "-created_at").first()


def partner_candidates(partner_list: PartnerList, reseller: Reseller) -> list[PartnerListEntry]:
    """Entries of ``partner_list`` sharing the reseller's BR number or a normalised name (one query)."""
    keys = list({name_key(reseller.name), name_key(reseller.registered_name)} - {""})
    condition = Q(name_key__in=keys)
    own_br = br_key(reseller.br_number)
    if own_br:
        condition |= Q(br_key=own_br)
    return list(partner_list.entries.filter(condition).order_by("line"))


# ------------------------------------------------------------------------------------------------ quotes
def quotes_visible_to(actor: Actor) -> QuerySet[Quote]:
    # The plan catalogue lives in the registry database: prefetched, never joined.
    qs = Quote.objects.for_tenant(actor.tenant_id).select_related("reseller").prefetch_related("plan")
    return qs if actor.access().tenant_wide(VIEW) else qs.none()


def get_quote_for(actor: Actor, quote_id: uuid.UUID | str, action: str = VIEW) -> Quote:
    try:
        quote = Quote.objects.for_tenant(actor.tenant_id).select_related("reseller").get(pk=quote_id)
    except (Quote.DoesNotExist, ValueError, ValidationError):
        raise NotFound(_("no such quote"), field="quote_id") from None
    if not can(actor, VIEW, quote) or not can(actor, action, quote):
        raise NotFound(_("no such quote"), field="quote_id")
    return quote


def checklist_of(quote: Quote, tenant: Tenant | None = None) -> Checklist:
    """The quote's due-diligence checklist as of today (Hong Kong), against the newest partner list."""
    tenant = tenant if tenant is not None else Tenant.objects.get(pk=quote.tenant_id)
    partner_list = newest_partner_list(tenant)
    candidates = partner_candidates(partner_list, quote.reseller) if partner_list is not None else []
    return evaluate(
        quote,
        company_registered_name=tenant.registered_name,
        partner_list_published_on=partner_list.published_on if partner_list is not None else None,
        candidates=list(candidates),
        today=today_in_hong_kong(),
    )


def partner_entry_of(reseller: Reseller) -> tuple[PartnerList, PartnerMatch] | None:
    """How the reseller stands on the newest list, for its page: the same match the checklist makes."""
    partner_list = newest_partner_list(reseller.tenant_id)
    if partner_list is None:
        return None
    return partner_list, match_entry(reseller, list(partner_candidates(partner_list, reseller)))
