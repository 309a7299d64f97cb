"""Quotes: recording a reseller's offer, editing it, and recording the support-response test. Changing a
quote that awaits sign-off withdraws its verdict: the sign-offs were given to what it said before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Invalid, NotFound
from harbour.core.permissions import Actor
from harbour.core.time import HONG_KONG, now
from harbour.directory.validation import clean_text
from harbour.plans.models import Plan
from harbour.plans.pricing import clean_seats, clean_term, clean_unit_price
from harbour.procurement.actions.guards import ensure_open, require_manage
from harbour.procurement.models import AnswerLanguage, Quote, QuoteStatus, Reseller

EDITABLE = ("reseller", "plan", "seats", "term", "unit_price", "reference", "invoice_issuer", "payer_name")
CLOCK_SKEW = dt.timedelta(minutes=5)


def _price(value: Any) -> Decimal:
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Invalid(_("the price is an amount in dollars and cents"), field="unit_price") from None
    return clean_unit_price(price)


def _clean(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(_("%(field)s cannot be changed") % {"field": name}, field=name)
    out: dict[str, Any] = {}
    if "reseller" in values:
        reseller = values["reseller"]
        if not isinstance(reseller, Reseller) or reseller.tenant_id != actor.tenant_id:
            raise NotFound(_("no such reseller"), field="reseller_id")
        out["reseller"] = reseller
    if "plan" in values:
        if not isinstance(values["plan"], Plan):
            raise Invalid(_("choose a plan of the catalogue"), field="plan")
        out["plan"] = values["plan"]
    if "seats" in values:
        out["seats"] = clean_seats(values["seats"])
    if "term" in values:
        out["term"] = clean_term(values["term"])
    if "unit_price" in values:
        out["unit_price"] = _price(values["unit_price"])
    for name, limit in (("reference", 80), ("invoice_issuer", 200), ("payer_name", 200)):
        if name in values:
            out[name] = clean_text(values[name] or "", field=name, max_length=limit)
    return out


def withdraw_verdict(quote: Quote) -> bool:
    """Drop a pending verdict and its sign-offs (the caller audits it as part of its own event)."""
    if quote.status != QuoteStatus.AWAITING_SIGN_OFF:
        return False
    quote.sign_offs.all().delete()
    quote.status = QuoteStatus.OPEN
    quote.verdict, quote.verdict_reasons, quote.verdict_by_label = "", "", ""
    quote.verdict_by = None
    quote.verdict_at = None
    return True


@tenant_atomic
def create_quote(
    actor: Actor,
    *,
    reseller: Reseller,
    plan: Plan,
    seats: int,
    term: str,
    unit_price: Decimal,
    **values: Any,
) -> Quote:
    require_manage(actor)
    cleaned = _clean(
        actor,
        {
            "reseller": reseller,
            "plan": plan,
            "seats": seats,
            "term": term,
            "unit_price": unit_price,
            **values,
        },
    )
    quote = Quote(tenant_id=actor.tenant_id, **cleaned)
    quote.save()
    record(actor, "quote.created", target=quote, after=quote.snapshot())
    return quote


@tenant_atomic
def update_quote(actor: Actor, quote: Quote, **values: Any) -> Quote:
    require_manage(actor)
    cleaned = _clean(actor, values)
    quote = _locked(actor, quote)
    ensure_open(quote)
    before = quote.snapshot()
    for name, value in cleaned.items():
        setattr(quote, name, value)
    if quote.snapshot() == before:
        return quote
    withdrawn = withdraw_verdict(quote)
    quote.save()
    record(
        actor,
        "quote.updated",
        target=quote,
        before=before,
        after=quote.snapshot(),
        verdict_withdrawn=withdrawn,
    )
    return quote


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Times given without an offset are Hong Kong times; all are kept in UTC."""
    if value is None:
        return None
    if not timezone.is_aware(value):
        value = value.replace(tzinfo=HONG_KONG)
    return value.astimezone(dt.UTC)


@tenant_atomic
def record_support_test(
    actor: Actor,
    quote: Quote,
    *,
    query_sent_at: dt.datetime | None,
    first_answer_at: dt.datetime | None = None,
    answer_language: str = "",
    note: str = "",
) -> Quote:
    """The simulated technical query sent to the reseller, and when and in which language it was first
    answered (no answer yet: ``first_answer_at`` None)."""
    require_manage(actor)
    sent, answered = _utc(query_sent_at), _utc(first_answer_at)
    latest = now() + CLOCK_SKEW
    if sent is None:
        raise Invalid(_("when the test query was sent is required"), field="query_sent_at")
    if sent > latest:
        raise Invalid(_("the query cannot have been sent in the future"), field="query_sent_at")
    if answered is not None and answered < sent:
        raise Invalid(_("the first answer cannot come before the query"), field="first_answer_at")
    if answered is not None and answered > latest:
        raise Invalid(_("the first answer cannot be in the future"), field="first_answer_at")
    if answer_language and answer_language not in AnswerLanguage.values:
        raise Invalid(
            _("the answer language is one of: %(choices)s") % {"choices": ", ".join(AnswerLanguage.values)},
            field="answer_language",
        )
    if answered is not None and not answer_language:
        raise Invalid(_("say in which language the answer came"), field="answer_language")
    if answered is None and answer_language:
        raise Invalid(_("a language needs an answer: record when it came"), field="first_answer_at")
    note = clean_text(note, field="note", max_length=2000)
    quote = _locked(actor, quote)
    ensure_open(quote)
    before = quote.snapshot()
    quote.support_query_sent_at, quote.support_first_answer_at = sent, answered
    quote.support_answer_language, quote.support_note = answer_language, note
    withdrawn = withdraw_verdict(quote)
    quote.save()
    record(
        actor,
        "quote.support_test_recorded",
        target=quote,
        before=before,
        after=quote.snapshot(),
        verdict_withdrawn=withdrawn,
    )
    return quote


def _locked(actor: Actor, quote: Quote) -> Quote:
    return (
        Quote.objects.for_tenant(actor.tenant_id)
        .select_for_update(of=("self",))
        .select_related("reseller")
        .get(pk=quote.pk)
    )
