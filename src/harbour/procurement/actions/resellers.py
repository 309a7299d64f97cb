"""The reseller register: recording a reseller, editing it, verifying its authorisation certificate and
keeping its signed SLA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Conflict, Invalid
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.directory.validation import clean_text
from harbour.procurement.actions.guards import require_manage
from harbour.procurement.models import Reseller, ResellerStatus
from harbour.procurement.validation import clean_br_number, clean_contacts, clean_past_date

EDITABLE = ("name", "registered_name", "br_number", "hk_address", "contacts", "certificate_number", "notes")
SLA_MAX_BYTES = 10 * 1024 * 1024


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(_("%(field)s cannot be changed") % {"field": name}, field=name)
    out: dict[str, Any] = {}
    limits = {"name": 150, "registered_name": 200, "hk_address": 500, "certificate_number": 80, "notes": 2000}
    for name, limit in limits.items():
        if name in values:
            out[name] = clean_text(values[name] or "", field=name, max_length=limit, required=name == "name")
    if "br_number" in values:
        out["br_number"] = clean_br_number(values["br_number"])
    if "contacts" in values:
        out["contacts"] = clean_contacts(values["contacts"])
    return out


def _ensure_unique_name(actor: Actor, name: str, exclude: Reseller | None = None) -> None:
    same = Reseller.objects.for_tenant(actor.tenant_id).filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise Conflict(_("a reseller named %(name)r is already recorded") % {"name": name}, field="name")


@tenant_atomic
def create_reseller(actor: Actor, *, name: str, **values: Any) -> Reseller:
    """A new reseller starts "to be re-verified": nothing about it has been checked yet."""
    require_manage(actor)
    cleaned = _clean({"name": name, **values})
    _ensure_unique_name(actor, cleaned["name"])
    reseller = Reseller(tenant_id=actor.tenant_id, status=ResellerStatus.TO_REVERIFY, **cleaned)
    reseller.save()
    record(actor, "reseller.created", target=reseller, after=reseller.snapshot())
    return reseller


@tenant_atomic
def update_reseller(actor: Actor, reseller: Reseller, **values: Any) -> Reseller:
    """A new certificate number voids the verification of the old one: the reseller is to be re-verified."""
    require_manage(actor)
    cleaned = _clean(values)
    if "name" in cleaned:
        _ensure_unique_name(actor, cleaned["name"], exclude=reseller)
    reseller = Reseller.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=reseller.pk)
    before = reseller.snapshot()
    certificate_changed = (
        "certificate_number" in cleaned and cleaned["certificate_number"] != reseller.certificate_number
    )
    for name, value in cleaned.items():
        setattr(reseller, name, value)
    if certificate_changed:
        _clear_verification(reseller)
    after = reseller.snapshot()
    if after == before:
        return reseller
    reseller.save()
    record(
        actor,
        "reseller.updated",
        target=reseller,
        before=before,
        after=after,
        verification_voided=certificate_changed and before["certificate_verified_at"] is not None,
    )
    return reseller


def _clear_verification(reseller: Reseller) -> None:
    reseller.certificate_verified_by = None
    reseller.certificate_verified_by_label = ""
    reseller.certificate_verified_at = None
    reseller.certificate_verification_note = ""
    reseller.status = ResellerStatus.TO_REVERIFY


@tenant_atomic
def verify_certificate(actor: Actor, reseller: Reseller, *, note: str) -> Reseller:
    """Record that a person checked the certificate number with DingTalk's customer service; the note says
    how (channel, reference, date). The reseller then counts as verified."""
    require_manage(actor)
    note = clean_text(note, field="note", max_length=2000, required=True)
    reseller = Reseller.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=reseller.pk)
    if not reseller.certificate_number:
        raise Conflict(
            _("record the reseller's authorisation certificate number before verifying it"),
            field="certificate_number",
        )
    before = reseller.snapshot()
    reseller.certificate_verified_by_id = actor.actor_id
    reseller.certificate_verified_by_label = actor.actor_label[:200]
    reseller.certificate_verified_at = now()
    reseller.certificate_verification_note = note
    reseller.status = ResellerStatus.VERIFIED
    reseller.save()
    record(
        actor,
        "reseller.certificate_verified",
        target=reseller,
        before=before,
        after=reseller.snapshot(),
        certificate_number=reseller.certificate_number,
    )
    return reseller


def clean_sla_document(document: UploadedFile | None) -> UploadedFile | None:
    """A PDF (by its first bytes, not only its name) of at most 10 MB."""
    if document is None:
        return None
    if document.size is None or document.size > SLA_MAX_BYTES:
        raise Invalid(_("the SLA document is larger than 10 MB"), field="document")
    if document.size == 0:
        raise Invalid(_("the SLA document is empty"), field="document")
    document.seek(0)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-" or not (document.name or "").lower().endswith(".pdf"):
        raise Invalid(_("the SLA document must be a PDF file"), field="document")
    return document


@tenant_atomic
def record_sla(
    actor: Actor, reseller: Reseller, *, signed_on: dt.date | None, document: UploadedFile | None = None
) -> Reseller:
    """Keep the signed SLA and its date. A new document replaces the one shown (the earlier file stays in
    storage, named in the audit event). Without a new document only the signed date changes."""
    require_manage(actor)
    document = clean_sla_document(document)
    signed_on = clean_past_date(signed_on, field="signed_on")
    reseller = Reseller.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=reseller.pk)
    if document is None and not reseller.sla_document:
        raise Invalid(_("upload the signed SLA as a PDF"), field="document")
    before = reseller.snapshot()
    if document is not None:
        reseller.sla_filename = (document.name or "sla.pdf").rsplit("/", 1)[-1][:200]
        reseller.sla_document.save("sla.pdf", document, save=False)
    reseller.sla_signed_on = signed_on
    reseller.save()
    record(actor, "reseller.sla_recorded", target=reseller, before=before, after=reseller.snapshot())
    return reseller


@tenant_atomic
def record_sla_download(actor: Actor, reseller: Reseller) -> None:
    """Who took a copy of a reseller's SLA, and when: downloads are part of the operation log."""
    record(actor, "file.downloaded", target=reseller, document="sla", filename=reseller.sla_filename)
