"""A campaign's evidence: every item with its member, role, scope, reviewer, decision, comment, times and
escalation, and how the grant stands now. Read from the items' snapshots, so it outlives the grants."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.time import local
from harbour.reviews.models import Decision, Effect, ReviewCampaign, ReviewerBasis, ReviewItem
from harbour.reviews.queries import GRANT_EXPIRED, GRANT_LIVE, GRANT_REMOVED, grant_states, items_of

CHUNK = 500


def _when(value: dt.datetime | None) -> str:
    return local(value).isoformat(timespec="minutes") if value else ""


def grant_now_label(state: str) -> str:
    return {
        GRANT_LIVE: _("in force"),
        GRANT_EXPIRED: _("expired"),
        GRANT_REMOVED: _("removed"),
    }.get(state, state)


def decision_label(item: ReviewItem, campaign: ReviewCampaign) -> str:
    """A pending item of a closed campaign says so plainly: nobody decided it before the close."""
    if item.is_pending and campaign.state == ReviewCampaign.State.CLOSED:
        return _("not decided by the close")
    return str(Decision(item.decision).label)


def columns() -> list[tuple[str, str]]:
    return [
        ("campaign", _("Access review")),
        ("member", _("Member")),
        ("email", _("Email")),
        ("role", _("Role")),
        ("scope", _("Scope")),
        ("granted_at", _("Granted")),
        ("grant_expires_at", _("Grant ends")),
        ("reviewer", _("Reviewer")),
        ("reviewer_basis", _("Reviewer because")),
        ("decision", _("Decision")),
        ("comment", _("Comment")),
        ("decided_by", _("Decided by")),
        ("decided_at", _("Decided at (Hong Kong)")),
        ("effect", _("Effect on the grant")),
        ("escalated_to", _("Escalated to")),
        ("escalated_at", _("Escalated at (Hong Kong)")),
        ("grant_now", _("Grant now")),
    ]


def row_of(item: ReviewItem, campaign: ReviewCampaign, grant_state: str) -> dict[str, Any]:
    return {
        "campaign": campaign.name,
        "member": item.member_name,
        "email": item.member_email,
        "role": item.role_name,
        "scope": item.scope_name or _("company-wide"),
        "granted_at": _when(item.granted_at),
        "grant_expires_at": _when(item.grant_expires_at),
        "reviewer": item.reviewer_name or _("nobody"),
        "reviewer_basis": str(ReviewerBasis(item.reviewer_basis).label),
        "decision": decision_label(item, campaign),
        "comment": item.comment,
        "decided_by": item.decided_by_name,
        "decided_at": _when(item.decided_at),
        "effect": str(Effect(item.effect).label) if item.effect else "",
        "escalated_to": item.escalated_to_name if item.escalated_at else "",
        "escalated_at": _when(item.escalated_at),
        "grant_now": grant_now_label(grant_state),
    }


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def csv_text(campaign: ReviewCampaign) -> tuple[str, int]:
    """The evidence as CSV text and its number of items. Built whole, in the request's language (a
    campaign covers the company's privileged grants: hundreds of rows, not millions)."""
    names = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _key, label in names])
    items = list(items_of(campaign).order_by("member_name", "role_name", "id"))
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        states = grant_states(campaign.tenant_id, chunk)
        for item in chunk:
            row = row_of(item, campaign, states[item.grant_id])
            writer.writerow([_cell(str(row[key])) for key, _label in names])
    return buffer.getvalue(), len(items)
