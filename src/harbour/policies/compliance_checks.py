"""Compliance checks answered from policies and acknowledgements:

- ``HB-GOV-CONDUCT``: a conduct policy is published and nobody in its scope is past their deadline without
  acknowledging the current version (members still within their deadline are not a gap yet);
- ``MON-3C`` (Clarity, Communication): a monitoring policy is published and acknowledged by the employees it
  addresses — none, or nobody past their deadline, is a gap."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.compliance import Evidence, Finding, Status
from harbour.policies.models import PolicyKind
from harbour.policies.queries import Progress, current_version, document_of_kind, progress_of


def _evidence(p: Progress, path: str) -> list[Evidence]:
    return [
        Evidence(_("Members who must acknowledge the current version"), p.in_scope, path),
        Evidence(_("Acknowledged"), p.acknowledged, path),
        Evidence(_("Not acknowledged yet"), p.outstanding, path),
        Evidence(_("Past their deadline without acknowledging"), p.overdue, path),
    ]


def conduct_policy_acknowledged(tenant_id: uuid.UUID) -> Finding:
    document = document_of_kind(tenant_id, PolicyKind.CONDUCT)
    version = current_version(document) if document else None
    if document is None or version is None:
        path = reverse("policies:document", args=[document.pk]) if document else reverse("policies:documents")
        return Finding(
            Status.GAP,
            _("No Employee Conduct Policy has been published for members to acknowledge."),
            [Evidence(_("Published conduct policy versions"), 0, path)],
        )
    progress = progress_of(version)
    path = reverse("policies:version", args=[version.pk])
    names = {
        "n": version.number,
        "ack": progress.acknowledged,
        "all": progress.in_scope,
        "overdue": progress.overdue,
    }
    if progress.overdue:
        return Finding(
            Status.GAP,
            _(
                "Conduct policy version %(n)d: %(ack)d of %(all)d members acknowledged; %(overdue)d are past "
                "their deadline."
            )
            % names,
            _evidence(progress, path),
        )
    return Finding(
        Status.MET,
        _(
            "Conduct policy version %(n)d: %(ack)d of %(all)d members acknowledged; nobody is past their "
            "deadline."
        )
        % names,
        _evidence(progress, path),
    )


def monitoring_policy_acknowledged(tenant_id: uuid.UUID) -> Finding:
    document = document_of_kind(tenant_id, PolicyKind.MONITORING)
    version = current_version(document) if document else None
    if document is None or version is None:
        path = reverse("policies:document", args=[document.pk]) if document else reverse("policies:documents")
        return Finding(
            Status.GAP,
            _(
                "No workplace monitoring policy (purposes, when and how, data collected, permitted uses) has "
                "been published to employees."
            ),
            [Evidence(_("Published monitoring policy versions"), 0, path)],
        )
    progress = progress_of(version)
    path = reverse("policies:version", args=[version.pk])
    names = {
        "n": version.number,
        "ack": progress.acknowledged,
        "all": progress.in_scope,
        "overdue": progress.overdue,
    }
    if progress.acknowledged == 0 or progress.overdue:
        return Finding(
            Status.GAP,
            _(
                "Monitoring policy version %(n)d: %(ack)d of %(all)d employees acknowledged; %(overdue)d are "
                "past their deadline."
            )
            % names,
            _evidence(progress, path),
        )
    return Finding(
        Status.MET,
        _(
            "Monitoring policy version %(n)d published and acknowledged by %(ack)d of %(all)d employees; "
            "nobody is past their deadline."
        )
        % names,
        _evidence(progress, path),
    )
