"""How a company stands on the data-request rules, computed from its requests, disclosures, log book and
operation log (registered from ``apps.ready``)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.audit.models import AuditEvent
from harbour.core.compliance import Evidence, Finding, Status, register_check
from harbour.core.time import now
from harbour.data_requests.models import (
    LOG_BOOK_MIN_DAYS,
    DataRequest,
    Kind,
    LogBookEntry,
    State,
    ThirdPartyNotice,
    Timeliness,
)
from harbour.data_requests.queries import lookback_disclosures

IN_TIME = {Timeliness.RUNNING, Timeliness.ON_TIME, Timeliness.NOTICE_GIVEN}


def _list_path() -> str:
    return reverse("data_requests:list")


def _timeliness(tenant_id: uuid.UUID, kind: str) -> tuple[int, int, int, int]:
    """(counted, in time, overdue now, answered late) for the company's requests of ``kind``; withdrawn
    requests are not counted."""
    at = now()
    counted = in_time = overdue = late = 0
    for request in DataRequest.objects.for_tenant(tenant_id).filter(kind=kind).exclude(state=State.WITHDRAWN):
        counted += 1
        status = request.timeliness(at)
        if status in IN_TIME:
            in_time += 1
        elif status == Timeliness.OVERDUE:
            overdue += 1
        else:
            late += 1
    return counted, in_time, overdue, late


def _clock_finding(tenant_id: uuid.UUID, kind: str, noun: str) -> tuple[Finding, int]:
    counted, in_time, overdue, late = _timeliness(tenant_id, kind)
    path = f"{_list_path()}?kind={kind}"
    if counted == 0:
        return Finding(Status.NOT_APPLICABLE, _("No %(noun)s recorded.") % {"noun": noun}), 0
    summary = _(
        "%(ok)d of %(n)d %(noun)s answered or refused within 40 days, with a timely notice of delay, "
        "or still "
        "within the 40 days"
    ) % {"ok": in_time, "n": counted, "noun": noun}
    evidence = [
        Evidence(_("Requests counted (withdrawn ones aside)"), counted, path),
        Evidence(_("Overdue: no answer and no notice of delay"), overdue, path),
        Evidence(_("Answered after day 40 without a notice of delay"), late, path),
    ]
    status = Status.GAP if overdue or late else Status.MET
    return Finding(status, summary, evidence), counted


def access_requests_answered_in_time(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP6-DAR: each access request answered or refused within 40 days, or a notice of delay given
    before then."""
    finding, _counted = _clock_finding(tenant_id, Kind.ACCESS, _("access requests"))
    return finding


def correction_requests_answered_in_time(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP6-DCR: the same clock for corrections, and every third party that received the data in the
    12 months before the request sent the correction (or a reason recorded)."""
    finding, counted = _clock_finding(tenant_id, Kind.CORRECTION, _("correction requests"))
    if counted == 0:
        return finding
    completed = DataRequest.objects.for_tenant(tenant_id).filter(kind=Kind.CORRECTION, state=State.COMPLETED)
    recipients = unanswered = 0
    for request in completed:
        answered = set(
            ThirdPartyNotice.objects.for_tenant(tenant_id)
            .filter(request=request, disclosure__isnull=False)
            .values_list("disclosure_id", flat=True)
        )
        assert request.closed_at is not None
        due = list(lookback_disclosures(request, until=request.closed_at).values_list("pk", flat=True))
        recipients += len(due)
        unanswered += sum(1 for pk in due if pk not in answered)
    evidence = [
        *finding.evidence,
        Evidence(
            _("Third parties to send completed corrections to"),
            recipients,
            reverse("data_requests:disclosures"),
        ),
        Evidence(_("Of them, neither sent the correction nor a reason recorded"), unanswered),
    ]
    status = Status.GAP if finding.status == Status.GAP or unanswered else Status.MET
    summary = (
        finding.summary
        + "; "
        + (
            _("%(n)d of %(total)d third parties not accounted for") % {"n": unanswered, "total": recipients}
            if unanswered
            else _("every third party sent the correction or a reason recorded")
        )
    )
    return Finding(status, summary, evidence)


def refusals_in_the_log_book(tenant_id: uuid.UUID) -> Finding:
    """PDPO-S27-LOGBOOK: every refusal has its log-book entry, and no entry younger than four years was
    removed (read from the refusals the operation log still holds)."""
    path = reverse("data_requests:logbook")
    refused = DataRequest.objects.for_tenant(tenant_id).filter(state=State.REFUSED)
    entries = LogBookEntry.objects.for_tenant(tenant_id)
    entry_ids = {str(pk) for pk in entries.values_list("pk", flat=True)}
    with_entry = set(entries.filter(request__isnull=False).values_list("request_id", flat=True))
    refused_ids = list(refused.values_list("pk", flat=True))
    without = sum(1 for pk in refused_ids if pk not in with_entry)
    since = now() - dt.timedelta(days=LOG_BOOK_MIN_DAYS)
    logged = AuditEvent.objects.filter(
        tenant_id=tenant_id, kind="data_request.refused", occurred_at__gte=since
    ).values_list("data", flat=True)
    removed = sum(1 for data in logged if str((data or {}).get("log_book_entry", "")) not in entry_ids)
    if not refused_ids and not entry_ids and not removed:
        return Finding(Status.NOT_APPLICABLE, _("No request has been refused: the log book is empty."))
    evidence = [
        Evidence(_("Refused requests"), len(refused_ids), path),
        Evidence(_("Log-book entries"), len(entry_ids), path),
        Evidence(_("Refusals without a log-book entry"), without, path),
        Evidence(_("Entries younger than four years that are gone"), removed, path),
    ]
    if without or removed:
        summary = _(
            "%(without)d refusal(s) without a log-book entry; %(removed)d entry(ies) younger than four years "
            "removed"
        ) % {"without": without, "removed": removed}
        return Finding(Status.GAP, summary, evidence)
    return Finding(
        Status.MET,
        _("All %(n)d refusal(s) are in the log book, kept at least four years") % {"n": len(refused_ids)},
        evidence,
    )


def corrections_recorded(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP2-ACCURACY: each correction made is recorded as an event (the correction and who made it)."""
    completed = list(
        DataRequest.objects.for_tenant(tenant_id)
        .filter(kind=Kind.CORRECTION, state=State.COMPLETED)
        .values_list("pk", flat=True)
    )
    if not completed:
        return Finding(Status.NOT_APPLICABLE, _("No correction has been made through a correction request."))
    events = set(
        AuditEvent.objects.filter(tenant_id=tenant_id, kind="data_request.corrected").values_list(
            "target_id", flat=True
        )
    )
    recorded = sum(1 for pk in completed if str(pk) in events)
    evidence = [
        Evidence(_("Corrections made"), len(completed), f"{_list_path()}?kind=correction"),
        Evidence(_("Recorded as correction events in the operation log"), recorded),
    ]
    status = Status.MET if recorded == len(completed) else Status.GAP
    summary = _("%(ok)d of %(n)d corrections recorded as events") % {"ok": recorded, "n": len(completed)}
    return Finding(status, summary, evidence)


register_check("PDPO-DPP6-DAR", access_requests_answered_in_time)
register_check("PDPO-DPP6-DCR", correction_requests_answered_in_time)
register_check("PDPO-S27-LOGBOOK", refusals_in_the_log_book)
register_check("PDPO-DPP2-ACCURACY", corrections_recorded)
