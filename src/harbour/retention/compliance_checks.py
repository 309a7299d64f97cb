"""How a company stands on the retention rules, computed from its schedules, holds and records:
PDPO-DPP2-RETENTION, HR-FORMER-7Y and HR-RECRUIT-2Y."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.compliance import Evidence, Finding, Status
from harbour.core.erasure import ErasableCategory, categories
from harbour.core.time import today_in_hong_kong
from harbour.retention.former_members import FORMER_EMPLOYEES, former_employees, former_employees_due
from harbour.retention.models import ErasedRecord
from harbour.retention.queries import (
    APPLICANT_RULE,
    RULE_MAXIMUM_DAYS,
    due_records,
    erased_ids,
    holds_on,
    schedule_of,
)

GRACE_DAYS = 7  # a record may wait this long past its date for the daily job before it counts as overdue


def _has_data(tenant_id: uuid.UUID, cat: ErasableCategory, today: dt.date) -> bool:
    """Whether the category holds any record whose retention clock has started (due after 0 days)."""
    return bool({str(pk) for pk in cat.find_due(tenant_id, today, 0)} - erased_ids(tenant_id, cat.code))


def _schedules_path() -> str:
    return reverse("retention:schedules")


def schedules_enforced(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP2-RETENTION: every category holding data has an enabled schedule, and nothing is overdue
    for erasure by more than a week except what a legal hold keeps."""
    today = today_in_hong_kong()
    with_data = [cat for cat in categories() if _has_data(tenant_id, cat, today)]
    if not with_data:
        return Finding(
            Status.NOT_APPLICABLE, _("No personal data is held in a category under a retention schedule.")
        )
    unscheduled: list[ErasableCategory] = []
    evidence: list[Evidence] = []
    overdue_total = held_total = 0
    for cat in with_data:
        schedule = schedule_of(tenant_id, cat.code)
        if not schedule.enabled:
            unscheduled.append(cat)
        due = due_records(tenant_id, cat, schedule.days, today - dt.timedelta(days=GRACE_DAYS))
        overdue_total += len(due.erase)
        held_total += len(due.held)
        evidence.append(
            Evidence(
                _("%(label)s: overdue for erasure by more than %(n)d days")
                % {"label": cat.label, "n": GRACE_DAYS},
                len(due.erase),
                _schedules_path(),
            )
        )
    evidence.append(Evidence(_("Records kept by a legal hold"), held_total, reverse("retention:holds")))
    if unscheduled or overdue_total:
        parts = []
        if unscheduled:
            parts.append(
                _(
                    "%(n)d of %(total)d categories holding personal data have no enabled "
                    "retention schedule (%(labels)s)"
                )
                % {
                    "n": len(unscheduled),
                    "total": len(with_data),
                    "labels": ", ".join(str(c.label) for c in unscheduled),
                }
            )
        if overdue_total:
            parts.append(
                _("%(n)d records are overdue for erasure by more than %(days)d days")
                % {"n": overdue_total, "days": GRACE_DAYS}
            )
        return Finding(Status.GAP, "; ".join(parts) + ".", evidence)
    return Finding(
        Status.MET,
        _(
            "All %(n)d categories holding personal data have an enabled retention schedule; "
            "nothing is overdue for erasure (%(held)d records on legal hold)."
        )
        % {"n": len(with_data), "held": held_total},
        evidence,
    )


def former_employees_erased(tenant_id: uuid.UUID) -> Finding:
    """HR-FORMER-7Y: every former employee past the erase-by date (end of employment + 7 years) is erased,
    or kept by a documented legal hold."""
    today = today_in_hong_kong()
    remaining = former_employees(tenant_id).count()
    erased = ErasedRecord.objects.for_tenant(tenant_id).filter(category=FORMER_EMPLOYEES).count()
    if remaining + erased == 0:
        return Finding(Status.NOT_APPLICABLE, _("No former employees yet."))
    yesterday = today - dt.timedelta(days=1)
    past = [
        str(pk) for pk in former_employees_due(tenant_id, yesterday, 100 * 365).values_list("pk", flat=True)
    ]
    holds = holds_on(tenant_id, FORMER_EMPLOYEES, today)
    held = [pk for pk in past if holds.keeps(pk)]
    kept = len(past) - len(held)
    evidence = [
        Evidence(_("Former employees erased"), erased, reverse("retention:history")),
        Evidence(
            _("Former employees past the erase-by date on legal hold"), len(held), reverse("retention:holds")
        ),
        Evidence(_("Former employees past the erase-by date still kept"), kept, reverse("retention:preview")),
    ]
    if kept:
        return Finding(
            Status.GAP,
            _(
                "%(n)d former employees are kept past the erase-by date "
                "(7 years from the end of employment) without a legal hold."
            )
            % {"n": kept},
            evidence,
        )
    return Finding(
        Status.MET,
        _(
            "No former employee is kept past the erase-by date without a legal hold "
            "(%(erased)d erased, %(held)d on hold)."
        )
        % {"erased": erased, "held": len(held)},
        evidence,
    )


def applicants_kept_two_years(tenant_id: uuid.UUID) -> Finding:
    """HR-RECRUIT-2Y: rejected applicants' data is erased 2 years after the rejection. Applies only when an
    app registers an applicants category."""
    today = today_in_hong_kong()
    found = [cat for cat in categories() if APPLICANT_RULE in cat.rule_ids]
    if not found:
        return Finding(Status.NOT_APPLICABLE, _("Harbour holds no data about job applicants."))
    found = [cat for cat in found if _has_data(tenant_id, cat, today)]
    if not found:
        return Finding(Status.NOT_APPLICABLE, _("No data about job applicants is held yet."))
    problems: list[str] = []
    evidence: list[Evidence] = []
    for cat in found:
        schedule = schedule_of(tenant_id, cat.code)
        if not schedule.enabled or schedule.days > RULE_MAXIMUM_DAYS[APPLICANT_RULE]:
            problems.append(_("%(label)s: no enabled schedule of at most 2 years") % {"label": cat.label})
        due = due_records(
            tenant_id,
            cat,
            min(schedule.days, RULE_MAXIMUM_DAYS[APPLICANT_RULE]),
            today - dt.timedelta(days=GRACE_DAYS),
        )
        if due.erase:
            problems.append(
                _("%(label)s: %(n)d records kept beyond 2 years") % {"label": cat.label, "n": len(due.erase)}
            )
        evidence.append(Evidence(str(cat.label), len(due.erase), _schedules_path()))
    if problems:
        return Finding(Status.GAP, "; ".join(problems) + ".", evidence)
    return Finding(
        Status.MET, _("Rejected applicants' data is erased within 2 years of the rejection."), evidence
    )
