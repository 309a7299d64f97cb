"""The compliance check of ``HB-GOV-ANNOUNCE``: announcements of the last 12 months carried the four parts,
and were read — a gap when one sent more than 14 days ago has been read by under 90% of its recipients."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.announcements.queries import sent_since, with_read_counts
from harbour.core.compliance import Evidence, Finding, Status
from harbour.core.time import now

LOOK_BACK = dt.timedelta(days=365)
SETTLE = dt.timedelta(days=14)
READ_TARGET = 0.9


def announcements_read(tenant_id: uuid.UUID) -> Finding:
    at = now()
    sent = list(with_read_counts(sent_since(tenant_id, at - LOOK_BACK)).order_by("sent_at"))
    path = reverse("announcements:manage")
    if not sent:
        return Finding(
            Status.NOT_APPLICABLE,
            _("No announcement was sent in the last 12 months."),
            [Evidence(_("Announcements sent in the last 12 months"), 0, path)],
        )
    incomplete = [a for a in sent if a.missing_parts()]
    settled = [a for a in sent if a.sent_at is not None and a.sent_at <= at - SETTLE]
    poorly_read = [a for a in settled if a.n_delivered and a.n_read < READ_TARGET * a.n_delivered]  # type: ignore[attr-defined]
    delivered = sum(a.n_delivered for a in sent)  # type: ignore[attr-defined]
    read = sum(a.n_read for a in sent)  # type: ignore[attr-defined]
    evidence = [
        Evidence(_("Announcements sent in the last 12 months"), len(sent), path),
        Evidence(_("Sent with all four parts in both languages"), len(sent) - len(incomplete), path),
        Evidence(_("Sent more than 14 days ago"), len(settled), path),
        Evidence(_("Sent more than 14 days ago and read by under 90%"), len(poorly_read), path),
        Evidence(_("Recipients who read their announcement"), read, path),
        Evidence(_("Recipients in all"), delivered, path),
    ]
    if incomplete or poorly_read:
        return Finding(
            Status.GAP,
            _(
                "%(poor)d of %(settled)d announcement(s) sent more than 14 days ago were read by under 90%% "
                "of their recipients; %(incomplete)d lacked a part of the template."
            )
            % {"poor": len(poorly_read), "settled": len(settled), "incomplete": len(incomplete)},
            evidence,
        )
    return Finding(
        Status.MET,
        _(
            "%(n)d announcement(s) sent in the last 12 months, all with the four parts; each sent more "
            "than 14 days ago was read by at least 90%% of its recipients (%(read)d of %(delivered)d "
            "reads in all)."
        )
        % {"n": len(sent), "read": read, "delivered": delivered},
        evidence,
    )
