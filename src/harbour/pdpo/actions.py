"""Writes of the PDPO register. Each register has one create and one update action that check the whole
record (the update merges the changes into the stored values first), so a refused change writes nothing.

Keeping the register needs ``pdpo.manage``; approving a transfer impact or monitoring assessment needs
``pdpo.approve`` and is never done by the assessment's author. Members record their own viewing of the
current PICS with no permission code.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Max
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now, today_in_hong_kong
from harbour.directory.models import Member
from harbour.pdpo import cleaning
from harbour.pdpo.models import (
    CITY_CHOICES,
    EXTRA_CLAUSES,
    GBA_CITIES,
    OTHER_CITY,
    PROCESSOR_CLAUSES,
    SECURITY_FACTORS,
    TIA_ITEMS,
    Approval,
    Channel,
    ClauseSet,
    ConsentAction,
    ConsentChannel,
    ConsentEntry,
    DataCategory,
    DataLocation,
    DingTalkEntity,
    Feature,
    GbaContract,
    MonitoringAssessment,
    Notice,
    NoticeKind,
    NoticeShown,
    Origin,
    Processor,
    Risk,
    Sensitivity,
    System,
    TransferAssessment,
    VendorRole,
)
from harbour.pdpo.permission_codes import APPROVE, MANAGE
from harbour.pdpo.working_days import gba_filing_due

M = TypeVar(
    "M", System, DataCategory, Notice, TransferAssessment, GbaContract, Processor, MonitoringAssessment
)
LONG = 10_000
GBA_CITY_CODES = {code for code, _label in GBA_CITIES}


def _require(actor: Actor, code: str = MANAGE) -> None:
    require_permission(actor, code, Tenant.objects.get(pk=actor.tenant_id))


def _merged(obj: Any, fields: tuple[str, ...], changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise Invalid(_("unknown field: %(name)s") % {"name": unknown[0]}, field=unknown[0])
    values = {name: getattr(obj, name) for name in fields if hasattr(obj, name)}
    values.update(changes)
    return values


def _write(actor: Actor, obj: M, values: dict[str, Any], kind: str) -> M:
    before = None if obj._state.adding else obj.snapshot()
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    record(actor, kind, target=obj, before=before, after=obj.snapshot())
    return obj


def _member(actor: Actor, member_id: Any, field: str) -> Member | None:
    pk = cleaning.uuid_or_none(member_id, field)
    if pk is None:
        return None
    found = Member.objects.for_tenant(actor.tenant_id).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("no such member"), field=field)
    return found


def _author(actor: Actor) -> Member | None:
    return actor if isinstance(actor, Member) else None


def _unique(qs: Any, obj: Any, field: str, value: str, message: str) -> None:
    if qs.filter(**{f"{field}__iexact": value}).exclude(pk=obj.pk).exists():
        raise Conflict(message, field=field)


# ----------------------------------------------------------------------------------------------- systems
SYSTEM_FIELDS = ("name", "description", *SECURITY_FACTORS)


def _clean_system(values: dict[str, Any]) -> dict[str, Any]:
    out = {
        "name": cleaning.text(values.get("name"), "name", 120, required=True),
        "description": cleaning.text(values.get("description"), "description", 500),
    }
    for factor in SECURITY_FACTORS:
        out[factor] = cleaning.text(values.get(factor), factor, LONG)
    return out


@tenant_atomic
def save_system(actor: Actor, system: System | None = None, **changes: Any) -> System:
    """A system holding personal data and its DPP4(1) record (PDPO-DPP4-SECURITY): the five factors may
    be filled in over time; the compliance check names the ones still missing."""
    _require(actor)
    obj = system or System(tenant_id=actor.tenant_id)
    values = _clean_system(_merged(obj, SYSTEM_FIELDS, changes))
    qs = System.objects.for_tenant(actor.tenant_id)
    _unique(qs, obj, "name", values["name"], _("a system with this name is already in the register"))
    return _write(actor, obj, values, "pdpo.system_saved")


# ---------------------------------------------------------------------------------------------- inventory
CATEGORY_FIELDS = (
    "name",
    "data_fields",
    "purposes",
    "channel",
    "obligatory",
    "system_ids",
    "storage_location",
    "transferees",
    "origin",
    "sensitivity",
)


def _systems(actor: Actor, value: Any) -> list[System]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise Invalid(_("give a list of system ids"), field="system_ids")
    ids = [cleaning.uuid_or_none(v, "system_ids") for v in value]
    wanted = {pk for pk in ids if pk is not None}
    found = list(System.objects.for_tenant(actor.tenant_id).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise NotFound(_("no such system in the register"), field="system_ids")
    return found


@tenant_atomic
def save_category(actor: Actor, category: DataCategory | None = None, **changes: Any) -> DataCategory:
    """A category of personal data held. Every category names at least one purpose (PDPO-DPP1-PURPOSE)
    and its collection channel (PDPO-DPP1-MEANS)."""
    _require(actor)
    obj = category or DataCategory(tenant_id=actor.tenant_id)
    merged = _merged(obj, CATEGORY_FIELDS, changes)
    if "system_ids" not in merged:
        merged["system_ids"] = [s.pk for s in obj.systems.all()] if obj.pk and not obj._state.adding else []
    values: dict[str, Any] = {
        "name": cleaning.text(merged.get("name"), "name", 120, required=True),
        "data_fields": cleaning.lines(merged.get("data_fields"), "data_fields", required=True),
        "purposes": cleaning.lines(merged.get("purposes"), "purposes", required=True),
        "channel": cleaning.choice(merged.get("channel"), "channel", Channel.values),
        "obligatory": cleaning.flag(merged.get("obligatory"), "obligatory"),
        "storage_location": cleaning.text(
            merged.get("storage_location"), "storage_location", 200, required=True
        ),
        "transferees": cleaning.lines(merged.get("transferees"), "transferees"),
        "origin": cleaning.choice(merged.get("origin"), "origin", Origin.values),
        "sensitivity": cleaning.choice(merged.get("sensitivity"), "sensitivity", Sensitivity.values),
    }
    systems = _systems(actor, merged["system_ids"])
    qs = DataCategory.objects.for_tenant(actor.tenant_id)
    _unique(qs, obj, "name", values["name"], _("a category with this name is already in the inventory"))
    before = (
        None
        if obj._state.adding
        else {**obj.snapshot(), "systems": sorted(str(s.pk) for s in obj.systems.all())}
    )
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    obj.systems.set(systems)
    after = {**obj.snapshot(), "systems": sorted(str(s.pk) for s in systems)}
    record(actor, "pdpo.category_saved", target=obj, before=before, after=after)
    return obj


# ------------------------------------------------------------------------------------------------ notices
NOTICE_FIELDS = ("kind", "title", "body_en", "body_zh")


@tenant_atomic
def save_notice(actor: Actor, notice: Notice | None = None, **changes: Any) -> Notice:
    """A new PICS or PPS version is a draft; only drafts can be changed (what a person was shown stays)."""
    _require(actor)
    obj = notice or Notice(tenant_id=actor.tenant_id)
    if not obj._state.adding and obj.state != Notice.State.DRAFT:
        raise Conflict(_("a published notice cannot be changed: write a new version"), field="state")
    if not obj._state.adding and "kind" in changes and changes["kind"] != obj.kind:
        raise Invalid(_("the kind of a notice cannot change"), field="kind")
    merged = _merged(obj, NOTICE_FIELDS, changes)
    values: dict[str, Any] = {
        "kind": cleaning.choice(merged.get("kind"), "kind", NoticeKind.values),
        "title": cleaning.text(merged.get("title"), "title", 200, required=True),
        "body_en": cleaning.text(merged.get("body_en"), "body_en", 100_000, required=True),
        "body_zh": cleaning.text(merged.get("body_zh"), "body_zh", 100_000, required=True),
    }
    if obj._state.adding:
        top = (
            Notice.objects.for_tenant(actor.tenant_id).filter(kind=values["kind"]).aggregate(v=Max("version"))
        )
        values["version"] = (top["v"] or 0) + 1
    return _write(actor, obj, values, "pdpo.notice_saved")


@tenant_atomic
def publish_notice(actor: Actor, notice: Notice) -> Notice:
    """Publish a draft: the notice of the same kind published until now becomes superseded."""
    _require(actor)
    notice = Notice.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=notice.pk)
    if notice.state != Notice.State.DRAFT:
        raise Conflict(_("only a draft can be published"), field="state")
    at = now()
    for old in Notice.objects.for_tenant(actor.tenant_id).filter(
        kind=notice.kind, state=Notice.State.PUBLISHED
    ):
        _write(actor, old, {"state": Notice.State.SUPERSEDED, "superseded_at": at}, "pdpo.notice_published")
    before = notice.snapshot()
    notice.state = Notice.State.PUBLISHED
    notice.published_at = at
    notice.save()
    record(actor, "pdpo.notice_published", target=notice, before=before, after=notice.snapshot())
    return notice


def _pics_notice(actor: Actor, notice: Notice) -> Notice:
    if notice.kind != NoticeKind.PICS:
        raise Invalid(_("only a PICS is recorded as shown"), field="notice_id")
    if notice.state == Notice.State.DRAFT:
        raise Conflict(_("a draft has not been shown to anybody"), field="notice_id")
    return notice


@tenant_atomic
def record_notice_shown(
    actor: Actor,
    notice: Notice,
    *,
    member_id: Any = None,
    person_name: str = "",
    person_email: str = "",
    shown_at: dt.datetime | None = None,
    how: str = "",
) -> NoticeShown:
    """An officer records that a person (a member, or someone outside Harbour named here) was shown a
    PICS version (PDPO-DPP1-PICS, HR-EMPLOYEE-PICS)."""
    _require(actor)
    _pics_notice(actor, notice)
    member = _member(actor, member_id, "member_id")
    name = cleaning.text(person_name, "person_name", 120, required=member is None)
    email = cleaning.email(person_email, "person_email")
    how = cleaning.text(how, "how", 200)
    at = shown_at or now()
    if at.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field="shown_at")
    if at > now() + dt.timedelta(minutes=5):
        raise Invalid(_("the time it was shown cannot be in the future"), field="shown_at")
    if notice.published_at and at < notice.published_at:
        raise Invalid(_("this version was not published yet at that time"), field="shown_at")
    shown = NoticeShown.objects.create(
        tenant_id=actor.tenant_id,
        notice=notice,
        member=member,
        person_name=member.name if member is not None and not name else name,
        person_email=member.email if member is not None and not email else email,
        shown_at=at,
        how=how,
        recorded_by=_author(actor),
    )
    record(actor, "pdpo.notice_shown", target=shown, after=shown.snapshot())
    return shown


@tenant_atomic
def record_own_pics_view(member: Member, notice: Notice) -> NoticeShown:
    """A member saw the current PICS in the console: recorded once per version."""
    _pics_notice(member, notice)
    existing = NoticeShown.objects.for_tenant(member.tenant_id).filter(notice=notice, member=member).first()
    if existing is not None:
        return existing
    shown = NoticeShown.objects.create(
        tenant_id=member.tenant_id,
        notice=notice,
        member=member,
        person_name=member.name,
        person_email=member.email,
        shown_at=now(),
        how=_("shown in the Harbour console"),
        recorded_by=member,
    )
    record(member, "pdpo.notice_shown", target=shown, after=shown.snapshot())
    return shown


# ------------------------------------------------------------------------------------------------ consent
@tenant_atomic
def record_consent(
    actor: Actor,
    *,
    member_id: Any = None,
    person_name: str = "",
    purpose: str,
    action: str,
    channel: str,
    at: dt.datetime | None = None,
    note: str = "",
) -> ConsentEntry:
    """Append a grant or withdrawal of express consent (PDPO-DPP3-USE, DM-6A). Silence is not consent, so
    there is no implied option; a withdrawal needs a current grant."""
    _require(actor)
    member = _member(actor, member_id, "member_id")
    name = cleaning.text(person_name, "person_name", 120, required=member is None)
    purpose = cleaning.text(purpose, "purpose", 200, required=True)
    action = cleaning.choice(action, "action", ConsentAction.values)
    channel = cleaning.choice(channel, "channel", ConsentChannel.values)
    note = cleaning.text(note, "note", 500)
    when = at or now()
    if when.tzinfo is None:
        raise Invalid(_("give the time with its time zone (e.g. +08:00)"), field="at")
    if when > now() + dt.timedelta(minutes=5):
        raise Invalid(_("the time cannot be in the future"), field="at")
    key = str(member.pk) if member is not None else f"person:{name.casefold()}"
    latest = (
        ConsentEntry.objects.for_tenant(actor.tenant_id)
        .filter(person_key=key, purpose__iexact=purpose)
        .order_by("-at", "-created_at")
        .first()
    )
    if latest is not None and when < latest.at:
        raise Invalid(_("a later entry exists for this person and purpose"), field="at")
    if action == ConsentAction.WITHDRAW and (latest is None or latest.action != ConsentAction.GRANT):
        raise Conflict(_("there is no current consent to withdraw for this purpose"), field="action")
    if latest is not None and latest.action == action == ConsentAction.GRANT:
        raise Conflict(_("consent for this purpose is already granted"), field="action")
    entry = ConsentEntry.objects.create(
        tenant_id=actor.tenant_id,
        member=member,
        person_name=member.name if member is not None else name,
        person_key=key,
        purpose=latest.purpose if latest is not None else purpose,
        action=action,
        channel=channel,
        at=when,
        note=note,
        recorded_by=_author(actor),
    )
    record(actor, "pdpo.consent_recorded", target=entry, after=entry.snapshot())
    return entry


# -------------------------------------------------------------------------------- transfer assessments
TIA_FIELDS = (
    "title",
    *TIA_ITEMS,
    "risk",
    "clause_set",
    *EXTRA_CLAUSES,
    "data_flow",
    "vendor_entity",
    "vendor_region",
    "review_on",
)


def _clean_tia(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"title": cleaning.text(values.get("title"), "title", 200, required=True)}
    for item in TIA_ITEMS:
        out[item] = cleaning.text(values.get(item), item, LONG, required=True)
    out["risk"] = cleaning.choice(values.get("risk"), "risk", Risk.values)
    out["clause_set"] = cleaning.choice(values.get("clause_set"), "clause_set", ClauseSet.values)
    for clause in EXTRA_CLAUSES:
        out[clause] = cleaning.flag(values.get(clause, False), clause)
    out["data_flow"] = cleaning.text(values.get("data_flow"), "data_flow", LONG, required=True)
    out["vendor_entity"] = cleaning.text(values.get("vendor_entity"), "vendor_entity", 200, required=True)
    out["vendor_region"] = cleaning.text(values.get("vendor_region"), "vendor_region", 120, required=True)
    out["review_on"] = cleaning.date(values.get("review_on"), "review_on", required=True)
    return out


@tenant_atomic
def save_tia(actor: Actor, tia: TransferAssessment | None = None, **changes: Any) -> TransferAssessment:
    """A transfer impact assessment (XB-TIA). Changing an approved one takes it back to draft: the new
    answers need a new approval."""
    _require(actor)
    obj = tia or TransferAssessment(tenant_id=actor.tenant_id, author=_author(actor))
    values = _clean_tia(_merged(obj, TIA_FIELDS, changes))
    if obj._state.adding and values["review_on"] <= today_in_hong_kong():
        raise Invalid(_("the review date must be in the future"), field="review_on")
    changed = any(values[name] != getattr(obj, name) for name in values)
    if not obj._state.adding and obj.state == Approval.APPROVED and changed:
        values.update(state=Approval.DRAFT, approver=None, approved_on=None)
    return _write(actor, obj, values, "pdpo.tia_saved")


def _approval(
    actor: Actor, author_id: uuid.UUID | None, approved_on: dt.date | None
) -> tuple[Member, dt.date]:
    _require(actor, APPROVE)
    if not isinstance(actor, Member):
        raise Invalid(_("an assessment is approved by a named member"), field="approver")
    if author_id is not None and actor.pk == author_id:
        raise Conflict(_("the author cannot approve their own assessment"), field="approver")
    day = cleaning.date(approved_on, "approved_on") or today_in_hong_kong()
    if day > today_in_hong_kong():
        raise Invalid(_("the approval date cannot be in the future"), field="approved_on")
    return actor, day


@tenant_atomic
def approve_tia(
    actor: Actor, tia: TransferAssessment, *, approved_on: dt.date | None = None
) -> TransferAssessment:
    """XB-TIA: a dated approval by a member other than the author, holding ``pdpo.approve``."""
    approver, day = _approval(actor, tia.author_id, approved_on)
    if tia.state == Approval.APPROVED:
        raise Conflict(_("this assessment is already approved"), field="state")
    if tia.review_on <= day:
        raise Invalid(_("the review date must come after the approval: change it first"), field="review_on")
    values = {"state": Approval.APPROVED, "approver": approver, "approved_on": day}
    return _write(actor, tia, values, "pdpo.tia_approved")


# ------------------------------------------------------------------------------------------ GBA contracts
GBA_FIELDS = (
    "counterparty",
    "our_city",
    "counterparty_city",
    "counterparty_city_note",
    "onward_outside_gba",
    "effective_on",
    "filed_on",
    "note",
)


def gba_eligible(our_city: str, counterparty_city: str, onward_outside_gba: bool) -> bool:
    """XB-GBA: both parties registered in Hong Kong or one of the nine mainland GBA cities, one of them
    in Hong Kong and the other on the mainland, and no onward transfer outside the GBA."""
    both_in = our_city in GBA_CITY_CODES and counterparty_city in GBA_CITY_CODES
    across = (our_city == "hong_kong") != (counterparty_city == "hong_kong")
    return both_in and across and not onward_outside_gba


@tenant_atomic
def save_gba(actor: Actor, contract: GbaContract | None = None, **changes: Any) -> GbaContract:
    """Eligibility is computed on every save; the filing deadline once the contract takes effect. An
    ineligible contract cannot take effect: the record says to use the RMC 2022 clauses instead."""
    _require(actor)
    obj = contract or GbaContract(tenant_id=actor.tenant_id)
    merged = _merged(obj, GBA_FIELDS, changes)
    cities = [code for code, _label in CITY_CHOICES]
    values: dict[str, Any] = {
        "counterparty": cleaning.text(merged.get("counterparty"), "counterparty", 200, required=True),
        "our_city": cleaning.choice(merged.get("our_city"), "our_city", cities),
        "counterparty_city": cleaning.choice(merged.get("counterparty_city"), "counterparty_city", cities),
        "counterparty_city_note": cleaning.text(
            merged.get("counterparty_city_note"), "counterparty_city_note", 200
        ),
        "onward_outside_gba": cleaning.flag(merged.get("onward_outside_gba", False), "onward_outside_gba"),
        "effective_on": cleaning.date(merged.get("effective_on"), "effective_on"),
        "filed_on": cleaning.date(merged.get("filed_on"), "filed_on"),
        "note": cleaning.text(merged.get("note"), "note", LONG),
    }
    if values["counterparty_city"] == OTHER_CITY and not values["counterparty_city_note"]:
        raise Invalid(_("name the city the other party is registered in"), field="counterparty_city_note")
    values["eligible"] = gba_eligible(
        values["our_city"], values["counterparty_city"], values["onward_outside_gba"]
    )
    effective = values["effective_on"]
    if effective is not None and not values["eligible"]:
        raise Conflict(
            _("not eligible for the GBA standard contract: use the RMC 2022 model clauses instead"),
            field="effective_on",
        )
    filed = values["filed_on"]
    if filed is not None:
        if effective is None:
            raise Invalid(
                _("a contract is filed after it takes effect: give the effective date"), field="filed_on"
            )
        if filed < effective:
            raise Invalid(_("the filing date cannot come before the effective date"), field="filed_on")
        if filed > today_in_hong_kong():
            raise Invalid(_("the filing date cannot be in the future"), field="filed_on")
    values["filing_due_on"] = gba_filing_due(effective) if effective is not None else None
    return _write(actor, obj, values, "pdpo.gba_saved")


# ----------------------------------------------------------------------------------------------- processors
PROCESSOR_FIELDS = ("vendor", "role", "contract_id", *PROCESSOR_CLAUSES, "evidence")


@tenant_atomic
def save_processor(actor: Actor, processor: Processor | None = None, **changes: Any) -> Processor:
    """A vendor in the processor register (PDPO-DPP2-PROCESSOR, PDPO-DPP4-PROCESSOR, PDPO-ROLE-DATAUSER)."""
    _require(actor)
    obj = processor or Processor(tenant_id=actor.tenant_id)
    merged = _merged(obj, PROCESSOR_FIELDS, changes)
    values: dict[str, Any] = {
        "vendor": cleaning.text(merged.get("vendor"), "vendor", 200, required=True),
        "role": cleaning.choice(merged.get("role") or VendorRole.PROCESSOR, "role", VendorRole.values),
        "contract_id": cleaning.text(merged.get("contract_id"), "contract_id", 120),
        "evidence": cleaning.text(merged.get("evidence"), "evidence", LONG),
    }
    for clause in PROCESSOR_CLAUSES:
        values[clause] = cleaning.flag(merged.get(clause, False), clause)
    qs = Processor.objects.for_tenant(actor.tenant_id)
    _unique(qs, obj, "vendor", values["vendor"], _("this vendor is already in the register"))
    return _write(actor, obj, values, "pdpo.processor_saved")


# ------------------------------------------------------------------------------------ monitoring assessments
MONITORING_FIELDS = (
    "feature",
    "feature_note",
    "assessment",
    "alternatives",
    "accountability",
    "clarity",
    "communication",
    "control",
    "covert",
    "covert_justification",
    "covert_until",
    "covert_approver_id",
    "opt_in",
    "alternative_method",
)


@tenant_atomic
def save_monitoring(
    actor: Actor, existing: MonitoringAssessment | None = None, **changes: Any
) -> MonitoringAssessment:
    """The three As are required answers (MON-3A); the three Cs are recorded (MON-3C). Covert monitoring
    needs a justification, an end date and a named approver (MON-COVERT); biometric attendance needs opt-in
    and an alternative method (MON-BIOMETRIC). A change to an approved assessment needs a new approval."""
    _require(actor)
    obj = existing or MonitoringAssessment(tenant_id=actor.tenant_id, author=_author(actor))
    merged = _merged(obj, MONITORING_FIELDS, changes)
    values: dict[str, Any] = {
        "feature": cleaning.choice(merged.get("feature"), "feature", Feature.values),
        "feature_note": cleaning.text(merged.get("feature_note"), "feature_note", 200),
        "assessment": cleaning.text(merged.get("assessment"), "assessment", LONG, required=True),
        "alternatives": cleaning.text(merged.get("alternatives"), "alternatives", LONG, required=True),
        "accountability": cleaning.text(merged.get("accountability"), "accountability", LONG, required=True),
        "clarity": cleaning.text(merged.get("clarity"), "clarity", LONG),
        "communication": cleaning.text(merged.get("communication"), "communication", LONG),
        "control": cleaning.text(merged.get("control"), "control", LONG),
        "covert": cleaning.flag(merged.get("covert", False), "covert"),
        "covert_justification": cleaning.text(
            merged.get("covert_justification"), "covert_justification", LONG
        ),
        "covert_until": cleaning.date(merged.get("covert_until"), "covert_until"),
        "opt_in": cleaning.flag(merged.get("opt_in", False), "opt_in"),
        "alternative_method": cleaning.text(merged.get("alternative_method"), "alternative_method", 200),
    }
    if values["feature"] == Feature.OTHER and not values["feature_note"]:
        raise Invalid(_("say what the monitoring feature is"), field="feature_note")
    approver = _member(actor, merged.get("covert_approver_id"), "covert_approver_id")
    if values["covert"]:
        if not values["covert_justification"]:
            raise Invalid(_("covert monitoring needs a written justification"), field="covert_justification")
        if values["covert_until"] is None:
            raise Invalid(_("covert monitoring needs an end date"), field="covert_until")
        if values["covert_until"] != obj.covert_until and values["covert_until"] <= today_in_hong_kong():
            raise Invalid(_("the end date must be in the future"), field="covert_until")
        if approver is None:
            raise Invalid(_("covert monitoring needs a named approver"), field="covert_approver_id")
        if not approver.access().tenant_wide(APPROVE):
            raise Invalid(
                _("the approver must hold the permission to approve assessments"), field="covert_approver_id"
            )
        if obj.author_id is not None and approver.pk == obj.author_id:
            raise Invalid(_("the approver cannot be the author"), field="covert_approver_id")
    else:
        values.update(covert_justification="", covert_until=None)
        approver = None
    values["covert_approver"] = approver
    if values["feature"] == Feature.BIOMETRIC_ATTENDANCE:
        if not values["opt_in"]:
            raise Invalid(_("biometric attendance must be opt-in"), field="opt_in")
        if not values["alternative_method"]:
            raise Invalid(
                _("offer an alternative to biometric attendance (e.g. card or PIN)"),
                field="alternative_method",
            )
    changed = any(values[name] != getattr(obj, name) for name in values)
    if not obj._state.adding and obj.state == Approval.APPROVED and changed:
        values.update(state=Approval.DRAFT, approver=None, approved_on=None)
    return _write(actor, obj, values, "pdpo.monitoring_saved")


@tenant_atomic
def approve_monitoring(
    actor: Actor, assessment: MonitoringAssessment, *, approved_on: dt.date | None = None
) -> MonitoringAssessment:
    approver, day = _approval(actor, assessment.author_id, approved_on)
    if assessment.state == Approval.APPROVED:
        raise Conflict(_("this assessment is already approved"), field="state")
    if assessment.covert and assessment.covert_approver_id != approver.pk:
        raise Conflict(_("covert monitoring is approved by the approver it names"), field="approver")
    values = {"state": Approval.APPROVED, "approver": approver, "approved_on": day}
    return _write(actor, assessment, values, "pdpo.monitoring_approved")


# ---------------------------------------------------------------------------------------------- data location
LOCATION_FIELDS = (
    "registration_location",
    "storage_regions",
    "third_party_access",
    "dingtalk_entity",
    "entity_note",
    "data_region",
)


@tenant_atomic
def save_data_location(actor: Actor, **changes: Any) -> DataLocation:
    """The company's data-location record (DT-ENTITY): one per company, replaced in place."""
    _require(actor)
    obj = DataLocation.objects.for_tenant(actor.tenant_id).first() or DataLocation(tenant_id=actor.tenant_id)
    merged = _merged(obj, LOCATION_FIELDS, changes)
    values: dict[str, Any] = {
        "registration_location": cleaning.text(
            merged.get("registration_location"), "registration_location", 200, required=True
        ),
        "storage_regions": cleaning.lines(merged.get("storage_regions"), "storage_regions", required=True),
        "third_party_access": cleaning.text(merged.get("third_party_access"), "third_party_access", LONG),
        "dingtalk_entity": cleaning.choice(
            merged.get("dingtalk_entity"), "dingtalk_entity", DingTalkEntity.values
        ),
        "entity_note": cleaning.text(merged.get("entity_note"), "entity_note", LONG),
        "data_region": cleaning.text(merged.get("data_region"), "data_region", 120),
    }
    if (
        values["dingtalk_entity"] in (DingTalkEntity.SINGAPORE, DingTalkEntity.MAINLAND)
        and not values["data_region"]
    ):
        raise Invalid(_("give the DingTalk data region"), field="data_region")
    before = None if obj._state.adding else obj.snapshot()
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    record(actor, "pdpo.location_saved", target=obj, before=before, after=obj.snapshot())
    return obj
