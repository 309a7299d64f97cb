"""Writes of data requests: record a request (officers, or a member's own access request), send a notice of
delay, complete, refuse (with its log-book entry), withdraw; record disclosures to third parties.

Everything is checked before anything is written, so a refused call changes nothing. The clock's rules
(PDPO-DPP6-DAR, PDPO-DPP6-DCR): due at the end of day 40, Hong Kong time; a notice of delay only counts
before then; answering or refusing later is still recorded (and shows as late)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.data_requests.models import (
    OPEN_STATES,
    DataRequest,
    Disclosure,
    Kind,
    Language,
    LogBookEntry,
    State,
    ThirdPartyNotice,
    grounds_for,
    hong_kong_day,
)
from harbour.data_requests.notify import request_url, tell
from harbour.data_requests.permission_codes import MANAGE, VIEW
from harbour.data_requests.queries import lookback_disclosures, request_handlers
from harbour.directory.models import Member, MemberState
from harbour.directory.validation import clean_text

TEXT_MAX = 5000
REASONS_MAX = 2000
FEE_MAX = Decimal("9999999.99")


def _require(actor: Actor, code: str = MANAGE) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, code, tenant)
    return tenant


def _label(actor: Actor) -> str:
    return actor.actor_label[:150]


def _member(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def _day(
    value: dt.date | None, field: str, *, not_before: dt.date | None = None, required: bool = True
) -> dt.date | None:
    if value is None:
        if required:
            raise Invalid(_("give the date"), field=field)
        return None
    if value > today_in_hong_kong():
        raise Invalid(_("the date cannot be in the future (Hong Kong time)"), field=field)
    if not_before is not None and value < not_before:
        raise Invalid(
            _("the date cannot be before %(day)s, when the request was received") % {"day": not_before},
            field=field,
        )
    return value


def _fee(value: Decimal | str | float | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        fee = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Invalid(_("give the fee in Hong Kong dollars, e.g. 50.00"), field="fee") from None
    if not fee.is_finite() or fee < 0 or fee > FEE_MAX or fee != fee.quantize(Decimal("0.01")):
        raise Invalid(_("give the fee in Hong Kong dollars, e.g. 50.00"), field="fee")
    return fee.quantize(Decimal("0.01"))


def _locked(request: DataRequest) -> DataRequest:
    return DataRequest.objects.for_tenant(request.tenant_id).select_for_update().get(pk=request.pk)


def _require_open(request: DataRequest) -> None:
    if request.state not in OPEN_STATES:
        raise Conflict(
            _("this request is %(state)s already: it can no longer be changed")
            % {"state": request.get_state_display().lower()},
            field="state",
        )


def _tell_handlers(request: DataRequest, *, title: str, body: str, exclude: Member | None = None) -> None:
    handlers = [m for m in request_handlers(request.tenant_id) if exclude is None or m.pk != exclude.pk]
    tell(handlers, title=title, body=body, url=request_url(request.pk))


def _tell_requester(request: DataRequest, *, title: str, body: str) -> None:
    """A requester who is a member follows the request in the console: they are told of each step (the
    written reply itself goes by the company's usual means)."""
    requester = request.requester
    if requester is None or requester.state != MemberState.ACTIVE:
        return
    tell([requester], title=title, body=body, url=request_url(request.pk))


# ---------------------------------------------------------------------------------------------- lodging
@tenant_atomic
def record_request(
    actor: Actor,
    *,
    kind: str,
    received_on: dt.date | None,
    description: str,
    language: str,
    requester: Member | None = None,
    requester_name: str = "",
    requester_contact: str = "",
    fee: Decimal | str | float | None = None,
    fee_note: str = "",
    access_request: DataRequest | None = None,
) -> DataRequest:
    """A request received by the company, recorded by an officer: from a member or an outside person, in
    Chinese, English or another language (which s20(3)(a)/s24(3)(a) allows refusing)."""
    _require(actor)
    if kind not in Kind.values:
        raise Invalid(_("choose access or correction"), field="kind")
    received = _day(received_on, "received_on")
    assert received is not None
    if language not in Language.values:
        raise Invalid(_("choose Chinese, English or another language"), field="language")
    description = clean_text(description, field="description", max_length=TEXT_MAX, required=True)
    if requester is not None:
        if requester.tenant_id != actor.tenant_id:
            raise Invalid(_("no such member"), field="requester_id")
        name = clean_text(requester_name, field="requester_name", max_length=150) or requester.name
        contact = clean_text(requester_contact, field="requester_contact", max_length=254) or requester.email
    else:
        name = clean_text(requester_name, field="requester_name", max_length=150, required=True)
        contact = clean_text(requester_contact, field="requester_contact", max_length=254, required=True)
    amount = _fee(fee)
    note = clean_text(fee_note, field="fee_note", max_length=300)
    if kind == Kind.CORRECTION:
        if amount:
            raise Invalid(_("no fee may be charged for a data correction request"), field="fee")
        amount, note = None, ""
        if access_request is not None:
            if access_request.tenant_id != actor.tenant_id or access_request.kind != Kind.ACCESS:
                raise Invalid(_("link an access request of this company"), field="access_request_id")
            if (
                requester is not None
                and access_request.requester_id is not None
                and access_request.requester_id != requester.pk
            ):
                raise Invalid(
                    _("the access request was made by someone else (%(name)s)")
                    % {"name": access_request.requester_name},
                    field="access_request_id",
                )
            if access_request.received_on > received:
                raise Invalid(
                    _("the access request was received after this correction request"),
                    field="access_request_id",
                )
    elif access_request is not None:
        raise Invalid(_("only a correction request follows an access request"), field="access_request_id")
    if amount is None and note:
        raise Invalid(_("a fee note needs a fee"), field="fee_note")
    request = DataRequest.objects.create(
        tenant_id=actor.tenant_id,
        kind=kind,
        requester=requester,
        requester_name=name,
        requester_contact=contact,
        received_on=received,
        description=description,
        language=language,
        fee=amount,
        fee_note=note,
        access_request=access_request if kind == Kind.CORRECTION else None,
        lodged_by=_member(actor),
    )
    record(actor, "data_request.received", target=request, after=request.snapshot())
    return request


@tenant_atomic
def lodge_own_access_request(
    actor: Member, *, description: str, language: str = Language.ENGLISH
) -> DataRequest:
    """A member asks for a copy of their own data (s18): received today; the handlers are told."""
    if not isinstance(actor, Member):
        raise Invalid(_("only a member can make a request about themself"), field="requester_id")
    if language not in (Language.CHINESE, Language.ENGLISH):
        raise Invalid(_("write the request in Chinese or English"), field="language")
    description = clean_text(description, field="description", max_length=TEXT_MAX, required=True)
    request = DataRequest.objects.create(
        tenant_id=actor.tenant_id,
        kind=Kind.ACCESS,
        requester=actor,
        requester_name=actor.name,
        requester_contact=actor.email,
        received_on=today_in_hong_kong(),
        description=description,
        language=language,
        lodged_by=actor,
        self_service=True,
    )
    record(actor, "data_request.received", target=request, after=request.snapshot(), self_service=True)
    _tell_handlers(
        request,
        title=_("Data access request from %(name)s: answer by %(day)s")
        % {"name": actor.name, "day": request.due_on.isoformat()},
        body=_("%(name)s asked for a copy of their personal data. The 40-day deadline is %(day)s.")
        % {"name": actor.name, "day": request.due_on.isoformat()},
        exclude=actor,
    )
    return request


# ------------------------------------------------------------------------------------------------ clock
@tenant_atomic
def send_delay_notice(actor: Actor, request: DataRequest, *, reasons: str) -> DataRequest:
    """A written notice of delay, with reasons, before the end of day 40 (s19(2), s23(2)). The request stays
    open and must still be completed as soon as practicable."""
    _require(actor)
    reasons = clean_text(reasons, field="reasons", max_length=REASONS_MAX, required=True)
    request = _locked(request)
    _require_open(request)
    if request.state == State.DELAYED:
        raise Conflict(_("a notice of delay has been sent already"), field="state")
    at = now()
    if at >= request.deadline:
        raise Conflict(
            _(
                "the deadline (end of %(day)s, Hong Kong time) has passed: "
                "a notice of delay can no longer be given"
            )
            % {"day": request.due_on.isoformat()},
            field="due_on",
        )
    before = request.snapshot()
    request.state = State.DELAYED
    request.delay_notice_at = at
    request.delay_reasons = reasons
    request.save(update_fields=["state", "delay_notice_at", "delay_reasons", "updated_at"])
    record(actor, "data_request.delay_notice_sent", target=request, before=before, after=request.snapshot())
    _tell_requester(
        request,
        title=_("Your data request will take longer than 40 days"),
        body=_("The company sent a notice of delay: %(reasons)s") % {"reasons": reasons},
    )
    return request


def _close(actor: Actor, request: DataRequest, state: str) -> None:
    request.state = state
    request.closed_at = now()
    request.closed_by = _member(actor)
    request.closed_by_name = _label(actor)


@tenant_atomic
def complete_access(
    actor: Actor, request: DataRequest, *, data_held: bool | None, supplied: str, supplied_on: dt.date | None
) -> DataRequest:
    """Answer an access request: whether data is held, and the copy supplied (s19(1)); "no data held" in
    writing is an answer too."""
    _require(actor)
    if request.kind != Kind.ACCESS:
        raise Invalid(_("this is a correction request: complete it with the correction made"), field="kind")
    if data_held is None:
        raise Invalid(_("say whether the company holds the data"), field="data_held")
    supplied = clean_text(supplied, field="supplied", max_length=TEXT_MAX, required=bool(data_held))
    if not supplied:
        supplied = _("Told in writing that no such data is held.")
    day = _day(supplied_on, "supplied_on", not_before=request.received_on)
    request = _locked(request)
    _require_open(request)
    before = request.snapshot()
    _close(actor, request, State.COMPLETED)
    request.data_held = data_held
    request.supplied = supplied
    request.supplied_on = day
    request.save()
    record(actor, "data_request.access_completed", target=request, before=before, after=request.snapshot())
    _tell_requester(
        request,
        title=_("Your data access request is answered"),
        body=_("Supplied on %(day)s: %(what)s") % {"day": day, "what": supplied},
    )
    return request


@dataclass(frozen=True)
class ThirdPartyAnswer:
    """For one disclosure in the lookback: sent the corrected data on ``notified_on``, or why not."""

    disclosure_id: uuid.UUID | str
    notified: bool
    notified_on: dt.date | None = None
    reason: str = ""


@tenant_atomic
def complete_correction(
    actor: Actor,
    request: DataRequest,
    *,
    satisfied_inaccurate: bool | None,
    correction_made: str,
    corrected_copy_supplied_on: dt.date | None,
    third_parties: Sequence[ThirdPartyAnswer] = (),
) -> DataRequest:
    """Correct the data, give the requestor a corrected copy, and send the corrected data to every third
    party it was disclosed to in the 12 months before the request — or record why one is not told
    (s23(1)). A data user not satisfied the data are inaccurate refuses instead (s24(3)(b))."""
    _require(actor)
    if request.kind != Kind.CORRECTION:
        raise Invalid(_("this is an access request: complete it with what was supplied"), field="kind")
    if satisfied_inaccurate is None:
        raise Invalid(
            _("say whether you are satisfied the data are inaccurate"), field="satisfied_inaccurate"
        )
    if not satisfied_inaccurate:
        raise Invalid(
            _("not satisfied the data are inaccurate: refuse the request with the ground s24(3)(b) instead"),
            field="satisfied_inaccurate",
        )
    correction_made = clean_text(correction_made, field="correction_made", max_length=TEXT_MAX, required=True)
    day = _day(corrected_copy_supplied_on, "corrected_copy_supplied_on", not_before=request.received_on)
    disclosures = {str(d.pk): d for d in lookback_disclosures(request)}
    answers: dict[str, ThirdPartyAnswer] = {}
    for answer in third_parties:
        key = str(answer.disclosure_id)
        if key not in disclosures:
            raise Invalid(
                _("%(id)s is not a disclosure of this person's data in the 12 months before the request")
                % {"id": key},
                field="third_parties",
            )
        if key in answers:
            raise Invalid(_("a disclosure is answered twice"), field="third_parties")
        if answer.notified:
            disclosed = hong_kong_day(disclosures[key].disclosed_at)
            _day(answer.notified_on, "third_parties", not_before=min(disclosed, request.received_on))
        elif not (answer.reason or "").strip():
            raise Invalid(
                _("say why %(recipient)s is not sent the corrected data")
                % {"recipient": disclosures[key].recipient},
                field="third_parties",
            )
        elif len(answer.reason.strip()) > 500:
            raise Invalid(_("a reason is longer than 500 characters"), field="third_parties")
        answers[key] = answer
    missing = [d.recipient for key, d in disclosures.items() if key not in answers]
    if missing:
        raise Invalid(
            _("say whether the corrected data was sent to: %(who)s") % {"who": ", ".join(missing)},
            field="third_parties",
        )
    request = _locked(request)
    _require_open(request)
    before = request.snapshot()
    _close(actor, request, State.COMPLETED)
    request.satisfied_inaccurate = True
    request.correction_made = correction_made
    request.corrected_copy_supplied_on = day
    request.save()
    ThirdPartyNotice.objects.bulk_create(
        [
            ThirdPartyNotice(
                tenant_id=request.tenant_id,
                request=request,
                disclosure=disclosures[key],
                recipient=disclosures[key].recipient,
                disclosed_at=disclosures[key].disclosed_at,
                notified=answer.notified,
                notified_on=answer.notified_on if answer.notified else None,
                reason_not_notified="" if answer.notified else answer.reason.strip(),
            )
            for key, answer in answers.items()
        ]
    )
    record(
        actor,
        "data_request.corrected",
        target=request,
        before=before,
        after=request.snapshot(),
        correction_made=correction_made,
        third_parties=[
            {
                "recipient": disclosures[key].recipient,
                "notified": answer.notified,
                "notified_on": answer.notified_on.isoformat()
                if answer.notified and answer.notified_on
                else "",
                "reason": "" if answer.notified else answer.reason.strip(),
            }
            for key, answer in answers.items()
        ],
    )
    _tell_requester(
        request,
        title=_("Your data is corrected"),
        body=_("%(correction)s A corrected copy was supplied on %(day)s.")
        % {"correction": correction_made, "day": day},
    )
    return request


@tenant_atomic
def refuse_request(actor: Actor, request: DataRequest, *, ground: str, reasons: str) -> DataRequest:
    """Refuse in writing with the reasons (s21, s25) and enter it in the log book (s27) in the same
    transaction: a refusal never exists without its log-book entry."""
    _require(actor)
    grounds = grounds_for(request.kind)
    if ground not in grounds:
        raise Invalid(_("choose a ground of refusal for this kind of request"), field="ground")
    reasons = clean_text(reasons, field="reasons", max_length=REASONS_MAX, required=True)
    request = _locked(request)
    _require_open(request)
    before = request.snapshot()
    _close(actor, request, State.REFUSED)
    request.refusal_ground = ground
    request.refusal_reasons = reasons
    request.save()
    assert request.closed_at is not None
    entry = LogBookEntry.objects.create(
        tenant_id=request.tenant_id,
        request=request,
        request_ref=request.pk,
        kind=request.kind,
        requester_name=request.requester_name,
        received_on=request.received_on,
        refused_on=hong_kong_day(request.closed_at),
        ground=ground,
        ground_text=str(grounds[ground])[:300],
        reasons=reasons,
        recorded_by_label=_label(actor),
    )
    record(
        actor,
        "data_request.refused",
        target=request,
        before=before,
        after=request.snapshot(),
        log_book_entry=str(entry.pk),
        on_time=request.closed_at < request.deadline,
    )
    _tell_requester(
        request,
        title=_("Your data request was refused"),
        body=_("%(ground)s. %(reasons)s") % {"ground": grounds[ground], "reasons": reasons},
    )
    return request


@tenant_atomic
def withdraw_request(actor: Actor, request: DataRequest, *, note: str = "") -> DataRequest:
    """The requester withdraws: a handler records it, or the member withdraws their own request."""
    own = actor.actor_id is not None and request.requester_id == actor.actor_id
    if not own:
        _require(actor)
    note = clean_text(note, field="note", max_length=500)
    request = _locked(request)
    _require_open(request)
    before = request.snapshot()
    _close(actor, request, State.WITHDRAWN)
    request.withdrawal_note = note
    request.save()
    record(actor, "data_request.withdrawn", target=request, before=before, after=request.snapshot())
    if own:
        _tell_handlers(
            request,
            title=_("Data request withdrawn by %(name)s") % {"name": request.requester_name},
            body=_("%(name)s withdrew their request received on %(day)s.")
            % {"name": request.requester_name, "day": request.received_on.isoformat()},
            exclude=_member(actor),
        )
    return request


# ------------------------------------------------------------------------------------------ disclosures
@tenant_atomic
def record_disclosure(
    actor: Actor,
    *,
    recipient: str,
    data_disclosed: str,
    disclosed_at: dt.datetime | None,
    subject: Member | None = None,
    subject_name: str = "",
) -> Disclosure:
    """Personal data of a member (or someone without an account, by name) given to a third party."""
    _require(actor)
    if subject is not None and subject.tenant_id != actor.tenant_id:
        raise Invalid(_("no such member"), field="subject_id")
    if subject is not None:
        name = clean_text(subject_name, field="subject_name", max_length=150) or subject.name
    else:
        name = clean_text(subject_name, field="subject_name", max_length=150, required=True)
    recipient = clean_text(recipient, field="recipient", max_length=200, required=True)
    data_disclosed = clean_text(data_disclosed, field="data_disclosed", max_length=TEXT_MAX, required=True)
    if disclosed_at is None:
        raise Invalid(_("give the time of the disclosure"), field="disclosed_at")
    if disclosed_at.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field="disclosed_at")
    if disclosed_at > now():
        raise Invalid(_("the disclosure cannot be in the future"), field="disclosed_at")
    disclosure = Disclosure.objects.create(
        tenant_id=actor.tenant_id,
        subject=subject,
        subject_name=name,
        recipient=recipient,
        data_disclosed=data_disclosed,
        disclosed_at=disclosed_at,
        recorded_by=_member(actor),
        recorded_by_label=_label(actor),
    )
    record(actor, "data_request.disclosure_recorded", target=disclosure, after=disclosure.snapshot())
    return disclosure


@tenant_atomic
def record_log_book_export(actor: Actor, *, rows: int, language: str) -> None:
    """A copy of the log book taken (e.g. for the PCPD, who may inspect it) is itself logged."""
    tenant = _require(actor, VIEW)
    record(actor, "data_request.log_book_exported", target=tenant, rows=rows, language=language)
