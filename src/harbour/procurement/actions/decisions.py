"""The verdict on a quote and its two sign-offs. A verdict (approve or reject, with reasons) is proposed,
then signed off by a holder of ``procurement.sign_legal`` and a holder of ``procurement.sign_infosec`` —
two different people. With both signatures the purchase is approved or rejected and locked. Approval is
refused, at proposal and again at each signature, while any checklist rule fails or any red flag stands."""

from __future__ import annotations

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.core.permissions import Actor, can
from harbour.core.time import now
from harbour.directory.validation import clean_text
from harbour.procurement.actions.guards import ensure_open, require_manage
from harbour.procurement.actions.quotes import withdraw_verdict
from harbour.procurement.models import Capacity, Decision, Quote, QuoteStatus, SignOff
from harbour.procurement.queries import checklist_of


def _refuse_unapprovable(quote: Quote, field: str) -> None:
    checklist = checklist_of(quote)
    if not checklist.approvable:
        raise Conflict(
            _("the purchase cannot be approved while checks fail or red flags stand: %(blockers)s")
            % {"blockers": "; ".join(checklist.blockers())},
            field=field,
        )


def _locked(actor: Actor, quote: Quote) -> Quote:
    return (
        Quote.objects.for_tenant(actor.tenant_id)
        .select_for_update(of=("self",))
        .select_related("reseller")
        .get(pk=quote.pk)
    )


@tenant_atomic
def propose_verdict(actor: Actor, quote: Quote, *, decision: str, reasons: str) -> Quote:
    """A new proposal replaces a pending one, and the sign-offs given to that one lapse."""
    require_manage(actor)
    if decision not in Decision.values:
        raise Invalid(_("the verdict is approve or reject"), field="decision")
    reasons = clean_text(reasons, field="reasons", max_length=4000, required=True)
    quote = _locked(actor, quote)
    ensure_open(quote)
    if decision == Decision.APPROVE:
        _refuse_unapprovable(quote, "decision")
    before = quote.snapshot()
    lapsed = quote.sign_offs.count()
    withdraw_verdict(quote)
    quote.verdict, quote.verdict_reasons = decision, reasons
    quote.verdict_by_id = actor.actor_id
    quote.verdict_by_label = actor.actor_label[:200]
    quote.verdict_at = now()
    quote.status = QuoteStatus.AWAITING_SIGN_OFF
    quote.save()
    record(
        actor,
        "quote.verdict_proposed",
        target=quote,
        before=before,
        after=quote.snapshot(),
        lapsed_sign_offs=lapsed,
    )
    return quote


@tenant_atomic
def sign_off(actor: Actor, quote: Quote, *, capacity: str, note: str = "") -> SignOff:
    """Sign the pending verdict for Legal or Information Security. The second signature decides."""
    if capacity not in Capacity.values:
        raise Invalid(_("sign off as legal or infosec"), field="capacity")
    role = Capacity(capacity)
    if actor.actor_id is None:
        raise Forbidden(_("a sign-off is given by a person, not by the system"), field="capacity")
    if not can(actor, role.permission, quote):
        raise Forbidden(
            _("signing off for %(capacity)s needs the permission %(code)r")
            % {"capacity": role.label, "code": role.permission},
            field="capacity",
        )
    note = clean_text(note, field="note", max_length=2000)
    quote = _locked(actor, quote)
    ensure_open(quote)
    if quote.status != QuoteStatus.AWAITING_SIGN_OFF:
        raise Conflict(_("no verdict awaits sign-off: propose one first"), field="verdict")
    signed = {s.capacity: s for s in quote.sign_offs.all()}
    if role.value in signed:
        raise Conflict(
            _("%(capacity)s has already signed off (%(who)s)")
            % {"capacity": role.label, "who": signed[role.value].member_label},
            field="capacity",
        )
    if any(s.member_id == actor.actor_id for s in signed.values()):
        raise Conflict(
            _("the two sign-offs must come from two different people: you have already signed"),
            field="capacity",
        )
    if quote.verdict == Decision.APPROVE:
        _refuse_unapprovable(quote, "verdict")
    signature = SignOff.objects.create(
        tenant_id=actor.tenant_id,
        quote=quote,
        capacity=role.value,
        member_id=actor.actor_id,
        member_label=actor.actor_label[:200],
        verdict=quote.verdict,
        note=note,
        signed_at=now(),
    )
    record(actor, "quote.signed_off", target=quote, after=signature.snapshot())
    if len(signed) + 1 == len(Capacity.values):
        before = quote.snapshot()
        quote.status = QuoteStatus.APPROVED if quote.verdict == Decision.APPROVE else QuoteStatus.REJECTED
        quote.decided_at = now()
        quote.save()
        kind = "quote.approved" if quote.status == QuoteStatus.APPROVED else "quote.rejected"
        record(
            actor,
            kind,
            target=quote,
            before=before,
            after=quote.snapshot(),
            signed_by=sorted(s.member_label for s in quote.sign_offs.all()),
        )
    return signature
