"""HB-GOV-TRAINING: the latest quarter's mandatory security training was held and everyone it covers
completed it (attended, and passed its quiz) by the due date."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.compliance import Evidence, Finding, Status
from harbour.core.time import now, today_in_hong_kong
from harbour.training.evidence import session_evidence
from harbour.training.models import Session
from harbour.training.quarters import quarter_of

RULE_ID = "HB-GOV-TRAINING"


def quarterly_training_completed(tenant_id: uuid.UUID) -> Finding:
    """Computed from this quarter's programme sessions (Hong Kong time): none held → gap; anyone overdue
    or completed late → gap; before the due date with nobody overdue → met, counted so far."""
    quarter = quarter_of(today_in_hong_kong())
    sessions = list(
        Session.objects.for_tenant(tenant_id)
        .filter(quarter=quarter, programme__isnull=False)
        .select_related("quiz")
        .order_by("starts_at", "id")
    )
    if not sessions:
        return Finding(
            Status.GAP,
            _("No mandatory security training is scheduled for %(quarter)s") % {"quarter": quarter},
            [Evidence(_("Training programmes"), None, reverse("training:programmes"))],
        )
    at = now()
    evidence: list[Evidence] = []
    gaps: list[str] = []
    for session in sessions:
        counts = session_evidence(session, at=at).counts
        path = reverse("training:session", args=[session.pk])
        evidence += [
            Evidence(
                _("%(title)s: members in the audience") % {"title": session.title}, counts["audience"], path
            ),
            Evidence(
                _("%(title)s: completed by the due date") % {"title": session.title},
                counts["completed_by_due"],
                path,
            ),
            Evidence(_("%(title)s: overdue") % {"title": session.title}, counts["overdue"], path),
        ]
        past_due = at >= session.due_at
        late = counts["audience"] - counts["completed_by_due"] if past_due else counts["overdue"]
        if late:
            gaps.append(
                _("%(title)s: %(n)d of %(total)d did not complete by %(due)s")
                % {
                    "title": session.title,
                    "n": late,
                    "total": counts["audience"],
                    "due": session.due_on.isoformat(),
                }
            )
    if gaps:
        return Finding(Status.GAP, "; ".join(gaps), evidence)
    done = sum(e.count or 0 for e in evidence[1::3])
    total = sum(e.count or 0 for e in evidence[0::3])
    return Finding(
        Status.MET,
        _("%(quarter)s security training held: %(done)d of %(total)d completed, nobody overdue")
        % {"quarter": quarter, "done": done, "total": total},
        evidence,
    )
