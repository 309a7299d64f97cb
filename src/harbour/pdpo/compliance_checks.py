"""How a company stands on the rules the PDPO register covers, computed from the register itself."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from harbour.core.compliance import Evidence, Finding, Status, register_check
from harbour.core.time import today_in_hong_kong
from harbour.directory.models import Member, MemberState
from harbour.pdpo.models import (
    Approval,
    Channel,
    ClauseSet,
    ConsentAction,
    ConsentChannel,
    ConsentEntry,
    DataCategory,
    DingTalkEntity,
    Feature,
    GbaContract,
    MonitoringAssessment,
    NoticeKind,
    Processor,
    System,
    TransferAssessment,
    VendorRole,
)
from harbour.pdpo.queries import (
    S33_IN_FORCE,
    S33_REVIEWED,
    consent_states,
    current_notice,
    data_location,
    gba_filing_overdue,
    members_not_shown,
    tia_review_due,
)


def _na(summary: str) -> Finding:
    return Finding(Status.NOT_APPLICABLE, summary)


def _finding(gaps: list[str], met: str, evidence: list[Evidence]) -> Finding:
    if gaps:
        return Finding(Status.GAP, "; ".join(gaps), evidence)
    return Finding(Status.MET, met, evidence)


def purpose_register(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP1-PURPOSE: a purpose register per data category; none without a purpose."""
    categories = list(DataCategory.objects.for_tenant(tenant_id))
    members = (
        Member.objects.for_tenant(tenant_id)
        .filter(state__in=[MemberState.ACTIVE, MemberState.INVITED])
        .count()
    )
    evidence = [Evidence(_("Data categories in the inventory"), len(categories), reverse("pdpo:inventory"))]
    if not categories:
        if members:
            return Finding(
                Status.GAP,
                _("The data inventory is empty although the company holds data about %(n)d members")
                % {"n": members},
                evidence,
            )
        return _na(_("The company holds no personal data yet"))
    no_purpose = [c.name for c in categories if not c.purposes]
    gaps = []
    if no_purpose:
        gaps.append(
            _("%(n)d of %(total)d data categories name no purpose: %(names)s")
            % {"n": len(no_purpose), "total": len(categories), "names": ", ".join(no_purpose)}
        )
    met = _("All %(n)d data categories name their purposes and collection channel") % {"n": len(categories)}
    return _finding(gaps, met, evidence)


def collection_means(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP1-MEANS: every category records how it is collected, and nothing is collected covertly
    without a justified, approved and time-limited assessment (MON-COVERT)."""
    categories = list(DataCategory.objects.for_tenant(tenant_id))
    if not categories:
        return purpose_register(tenant_id)  # the same empty inventory: a gap while members exist
    channels: dict[str, int] = {}
    for c in categories:
        label = str(Channel(c.channel).label)
        channels[label] = channels.get(label, 0) + 1
    evidence = [Evidence(_("Data categories in the inventory"), len(categories), reverse("pdpo:inventory"))]
    gaps = []
    unexplained = [c.name for c in categories if c.channel == Channel.OTHER]
    if unexplained:
        gaps.append(
            _('%(n)d data categories are collected by an unnamed channel ("other"): %(names)s')
            % {"n": len(unexplained), "names": ", ".join(unexplained)}
        )
    covert = covert_monitoring(tenant_id)
    if covert.status == Status.GAP:
        gaps.append(covert.summary)
        evidence += covert.evidence
    met = _("Every data category records how it is collected: %(channels)s") % {
        "channels": ", ".join(f"{label} {n}" for label, n in sorted(channels.items()))
    }
    return _finding(gaps, met, evidence)


def _pics_shown(tenant_id: uuid.UUID, states: list[str], who: str) -> Finding:
    notice = current_notice(tenant_id, NoticeKind.PICS)
    members = Member.objects.for_tenant(tenant_id).filter(state__in=states)
    total = members.count()
    if notice is None:
        if not total:
            return _na(_("No members and no PICS"))
        return Finding(
            Status.GAP,
            _("No PICS is published: %(n)d %(who)s have not been told the purposes and transferees")
            % {"n": total, "who": who},
            [Evidence(_("Published PICS"), 0, reverse("pdpo:notices"))],
        )
    unseen = members_not_shown(tenant_id, notice).filter(state__in=states).count()
    evidence = [
        Evidence(_("Published PICS version"), notice.version, reverse("pdpo:notice", args=[notice.pk])),
        Evidence(_("Never shown the current PICS"), unseen, reverse("pdpo:not_shown")),
    ]
    gaps = []
    if unseen:
        gaps.append(
            _("%(n)d of %(total)d %(who)s were never shown PICS version %(v)d")
            % {"n": unseen, "total": total, "who": who, "v": notice.version}
        )
    met = _("All %(total)d %(who)s were shown PICS version %(v)d") % {
        "total": total,
        "who": who,
        "v": notice.version,
    }
    return _finding(gaps, met, evidence)


def pics_shown(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP1-PICS: a published PICS, and a record of it shown to each member (active or invited)."""
    return _pics_shown(tenant_id, [MemberState.ACTIVE, MemberState.INVITED], _("members"))


def employee_pics(tenant_id: uuid.UUID) -> Finding:
    """HR-EMPLOYEE-PICS: every working employee has been given the PICS."""
    return _pics_shown(tenant_id, [MemberState.ACTIVE], _("active employees"))


def privacy_policy(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP5-OPENNESS: a published, versioned Privacy Policy Statement."""
    notice = current_notice(tenant_id, NoticeKind.PPS)
    if notice is None:
        return Finding(
            Status.GAP,
            _("No Privacy Policy Statement is published"),
            [Evidence(_("Published PPS"), 0, reverse("pdpo:notices"))],
        )
    return Finding(
        Status.MET,
        _("Privacy Policy Statement version %(v)d is published") % {"v": notice.version},
        [Evidence(_("Published PPS version"), notice.version, reverse("pdpo:notice", args=[notice.pk]))],
    )


def consent_ledger(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP3-USE: express grants and withdrawals kept per person and purpose."""
    entries = ConsentEntry.objects.for_tenant(tenant_id).count()
    if not entries:
        return _na(_("No use of personal data beyond its collection purpose is recorded as needing consent"))
    states = consent_states(tenant_id)
    granted = sum(1 for s in states if s.granted)
    withdrawn = len(states) - granted
    evidence = [Evidence(_("Consent ledger entries"), entries, reverse("pdpo:consents"))]
    vague = (
        ConsentEntry.objects.for_tenant(tenant_id)
        .filter(action=ConsentAction.GRANT, channel=ConsentChannel.OTHER, note="")
        .count()
    )
    gaps = []
    if vague:
        gaps.append(
            _("%(n)d consents recorded through another channel do not say how they were expressly given")
            % {"n": vague}
        )
    met = _("%(granted)d consents in force and %(withdrawn)d withdrawn, each with its channel and time") % {
        "granted": granted,
        "withdrawn": withdrawn,
    }
    return _finding(gaps, met, evidence)


def system_security(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP4-SECURITY: one security record per system, covering the five factors."""
    systems = list(System.objects.for_tenant(tenant_id))
    categories = DataCategory.objects.for_tenant(tenant_id)
    if not systems and not categories.exists():
        return _na(_("No systems or data categories are recorded"))
    evidence = [Evidence(_("Systems with a security record"), len(systems), reverse("pdpo:systems"))]
    gaps = []
    incomplete = [s for s in systems if s.missing_factors]
    if incomplete:
        gaps.append(
            _("%(n)d of %(total)d systems lack security answers: %(names)s")
            % {
                "n": len(incomplete),
                "total": len(systems),
                "names": ", ".join(f"{s.name} ({len(s.missing_factors)} of 5 missing)" for s in incomplete),
            }
        )
    homeless = [c.name for c in categories.filter(systems__isnull=True)]
    if homeless:
        gaps.append(
            _("%(n)d data categories name no system holding them: %(names)s")
            % {"n": len(homeless), "names": ", ".join(homeless)}
        )
    met = _("All %(n)d systems have a security record covering the five DPP4 factors") % {"n": len(systems)}
    return _finding(gaps, met, evidence)


def _mainland_transfers(tenant_id: uuid.UUID) -> bool:
    location = data_location(tenant_id)
    mainland_entity = location is not None and location.dingtalk_entity == DingTalkEntity.MAINLAND
    return mainland_entity or TransferAssessment.objects.for_tenant(tenant_id).exists()


def transfer_assessments(tenant_id: uuid.UUID) -> Finding:
    """XB-TIA: an approved, in-date assessment before data goes to the mainland."""
    if not _mainland_transfers(tenant_id):
        return _na(_("No transfer to the mainland is recorded"))
    tias = list(TransferAssessment.objects.for_tenant(tenant_id))
    today = today_in_hong_kong()
    approved = [t for t in tias if t.state == Approval.APPROVED]
    due = [t for t in approved if tia_review_due(t, today)]
    drafts = [t for t in tias if t.state != Approval.APPROVED]
    evidence = [Evidence(_("Transfer impact assessments"), len(tias), reverse("pdpo:tias"))]
    gaps = []
    if not approved:
        gaps.append(_("Data goes to the mainland but no transfer impact assessment is approved"))
    if due:
        gaps.append(
            _("%(n)d approved assessments are past their review date: %(names)s")
            % {"n": len(due), "names": ", ".join(t.title for t in due)}
        )
    if drafts:
        gaps.append(_("%(n)d assessments await approval") % {"n": len(drafts)})
    met = _("%(n)d transfer impact assessments approved and within their review date") % {"n": len(approved)}
    return _finding(gaps, met, evidence)


CLAUSE_LABELS = {
    "clause_reporting": _("reporting"),
    "clause_audit": _("audit/inspection"),
    "clause_breach_notice": _("breach notification"),
    "clause_cooperation": _("compliance cooperation"),
}


def model_clauses(tenant_id: uuid.UUID) -> Finding:
    """XB-RMC-2022: each transfer uses a model clause set with the four extra clauses."""
    tias = list(TransferAssessment.objects.for_tenant(tenant_id))
    if not tias:
        return _na(_("No cross-border transfer is recorded"))
    evidence = [Evidence(_("Transfers assessed"), len(tias), reverse("pdpo:tias"))]
    gaps = []
    for tia in tias:
        if tia.clause_set == ClauseSet.NONE:
            gaps.append(_("%(title)s uses no model clause set") % {"title": tia.title})
        elif tia.missing_clauses:
            missing = ", ".join(str(CLAUSE_LABELS[c]) for c in tia.missing_clauses)
            gaps.append(
                _("%(title)s lacks the %(clauses)s clause(s)") % {"title": tia.title, "clauses": missing}
            )
    met = _("All %(n)d transfers use a model clause set with the four recommended extra clauses") % {
        "n": len(tias)
    }
    return _finding(gaps, met, evidence)


def gba_contracts(tenant_id: uuid.UUID) -> Finding:
    """XB-GBA: eligible contracts filed within 10 Hong Kong working days of taking effect."""
    contracts = list(GbaContract.objects.for_tenant(tenant_id))
    if not contracts:
        return _na(_("No GBA standard contract is recorded"))
    today = today_in_hong_kong()
    overdue = [c for c in contracts if gba_filing_overdue(c, today)]
    ineligible = [c for c in contracts if not c.eligible]
    evidence = [
        Evidence(_("GBA contract records"), len(contracts), reverse("pdpo:gba")),
        Evidence(_("Not eligible (RMC 2022 instead)"), len(ineligible), reverse("pdpo:gba")),
    ]
    gaps = []
    if overdue:
        gaps.append(
            _("%(n)d contracts were not filed by their deadline: %(names)s")
            % {
                "n": len(overdue),
                "names": ", ".join(f"{c.counterparty} ({c.filing_due_on})" for c in overdue),
            }
        )
    in_effect = sum(1 for c in contracts if c.effective_on)
    filed = sum(1 for c in contracts if c.filed_on)
    met = _("%(filed)d of %(n)d contracts in effect filed; none overdue") % {"filed": filed, "n": in_effect}
    return _finding(gaps, met, evidence)


PROCESSOR_CLAUSE_LABELS = {
    "clause_retention": _("retention period limit"),
    "clause_return_delete": _("return or delete on termination"),
    "clause_security": _("security measures"),
    "clause_breach_notice": _("breach notification"),
    "clause_audit": _("audit rights"),
    "clause_subprocessors": _("sub-processor limits"),
}


def _processor_clauses(tenant_id: uuid.UUID, clauses: tuple[str, ...], rule: str) -> Finding:
    processors = list(Processor.objects.for_tenant(tenant_id).filter(role=VendorRole.PROCESSOR))
    if not processors:
        return _na(_("No data processor is engaged"))
    evidence = [Evidence(_("Processors"), len(processors), reverse("pdpo:processors"))]
    gaps = []
    for p in processors:
        missing = [str(PROCESSOR_CLAUSE_LABELS[c]) for c in clauses if not getattr(p, c)]
        if not p.contract_id and rule == "DPP2":
            missing.insert(0, str(_("contract id")))
        if missing:
            gaps.append(_("%(vendor)s: missing %(what)s") % {"vendor": p.vendor, "what": ", ".join(missing)})
    met = _("All %(n)d processors are bound by the required clauses") % {"n": len(processors)}
    return _finding(gaps, met, evidence)


def processor_retention(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP2-PROCESSOR: contract means stop processors keeping data longer than necessary."""
    return _processor_clauses(tenant_id, ("clause_retention", "clause_return_delete"), "DPP2")


def processor_security(tenant_id: uuid.UUID) -> Finding:
    """PDPO-DPP4-PROCESSOR: security, breach-notice, audit and sub-processor clauses per processor."""
    clauses = ("clause_security", "clause_breach_notice", "clause_audit", "clause_subprocessors")
    return _processor_clauses(tenant_id, clauses, "DPP4")


def vendor_roles(tenant_id: uuid.UUID) -> Finding:
    """PDPO-ROLE-DATAUSER: every vendor's role is recorded; DingTalk is in the register when used."""
    vendors = list(Processor.objects.for_tenant(tenant_id))
    location = data_location(tenant_id)
    uses_dingtalk = location is not None and location.dingtalk_entity in (
        DingTalkEntity.SINGAPORE,
        DingTalkEntity.MAINLAND,
    )
    if not vendors and not uses_dingtalk:
        return _na(_("No vendor handles the company's personal data"))
    evidence = [Evidence(_("Vendors in the register"), len(vendors), reverse("pdpo:processors"))]
    gaps = []
    if uses_dingtalk and not any("dingtalk" in v.vendor.casefold() for v in vendors):
        gaps.append(_("The company uses DingTalk but DingTalk is not in the processor register"))
    processors = sum(1 for v in vendors if v.role == VendorRole.PROCESSOR)
    met = _("%(n)d vendors recorded: %(p)d processors, %(u)d data users") % {
        "n": len(vendors),
        "p": processors,
        "u": len(vendors) - processors,
    }
    return _finding(gaps, met, evidence)


def _assessments(tenant_id: uuid.UUID, **filters: object) -> list[MonitoringAssessment]:
    return list(MonitoringAssessment.objects.for_tenant(tenant_id).filter(**filters))


def monitoring_assessed(tenant_id: uuid.UUID) -> Finding:
    """MON-3A: each monitoring feature has an approved assessment (assessment, alternatives,
    accountability)."""
    found = _assessments(tenant_id)
    if not found:
        return _na(_("No employee monitoring is recorded"))
    drafts = [a for a in found if a.state != Approval.APPROVED]
    evidence = [Evidence(_("Monitoring assessments"), len(found), reverse("pdpo:monitoring"))]
    gaps = []
    if drafts:
        gaps.append(
            _("%(n)d of %(total)d monitoring assessments are not approved: %(names)s")
            % {"n": len(drafts), "total": len(found), "names": ", ".join(str(a) for a in drafts)}
        )
    met = _("All %(n)d monitoring assessments are approved") % {"n": len(found)}
    return _finding(gaps, met, evidence)


def covert_monitoring(tenant_id: uuid.UUID) -> Finding:
    """MON-COVERT: covert monitoring only with a justification, a time limit and its named approver."""
    found = _assessments(tenant_id, covert=True)
    if not found:
        return _na(_("No covert monitoring is recorded"))
    today = today_in_hong_kong()
    evidence = [Evidence(_("Covert monitoring assessments"), len(found), reverse("pdpo:monitoring"))]
    gaps = []
    for a in found:
        if a.state != Approval.APPROVED:
            gaps.append(_("%(name)s: covert monitoring not approved") % {"name": a})
        elif a.covert_until is not None and a.covert_until < today:
            gaps.append(
                _("%(name)s: covert monitoring past its end date %(day)s")
                % {"name": a, "day": a.covert_until}
            )
        if not a.covert_justification or a.covert_approver_id is None:
            gaps.append(_("%(name)s: no justification or approver") % {"name": a})
    met = _("%(n)d covert monitoring cases justified, time-limited and approved") % {"n": len(found)}
    return _finding(gaps, met, evidence)


def biometric_monitoring(tenant_id: uuid.UUID) -> Finding:
    """MON-BIOMETRIC: biometric attendance only with opt-in and an alternative method."""
    found = _assessments(tenant_id, feature=Feature.BIOMETRIC_ATTENDANCE)
    if not found:
        return _na(_("No biometric attendance is recorded"))
    evidence = [Evidence(_("Biometric attendance assessments"), len(found), reverse("pdpo:monitoring"))]
    gaps = []
    for a in found:
        if not a.opt_in or not a.alternative_method:
            gaps.append(_("%(name)s: no opt-in or no alternative method") % {"name": a})
        if a.state != Approval.APPROVED:
            gaps.append(_("%(name)s: not approved") % {"name": a})
    met = _("Biometric attendance is opt-in with an alternative method, and approved")
    return _finding(gaps, met, evidence)


def dingtalk_entity(tenant_id: uuid.UUID) -> Finding:
    """DT-ENTITY: the DingTalk contracting entity and data region are recorded."""
    location = data_location(tenant_id)
    evidence = [Evidence(_("Data-location record"), 1 if location else 0, reverse("pdpo:location"))]
    if location is None:
        return Finding(
            Status.GAP, _("No data-location record: where the data is stored is not recorded"), evidence
        )
    if location.dingtalk_entity == DingTalkEntity.UNKNOWN:
        return Finding(Status.GAP, _("The DingTalk contracting entity is not yet established"), evidence)
    if location.dingtalk_entity == DingTalkEntity.NOT_USED:
        return Finding(Status.NOT_APPLICABLE, _("The company does not use DingTalk"), evidence)
    return Finding(
        Status.MET,
        _("DingTalk entity recorded (%(entity)s), data region %(region)s")
        % {"entity": location.get_dingtalk_entity_display(), "region": location.data_region},
        evidence,
    )


def s33_status(tenant_id: uuid.UUID) -> Finding:
    """XB-S33-STATUS: section 33 is not in force; the platform flag is reviewed each release."""
    evidence = [Evidence(_("Data-location record"), None, reverse("pdpo:location"))]
    if not S33_IN_FORCE:
        return Finding(
            Status.MET,
            _("Section 33 is not in force (reviewed %(day)s): DPP1(3), DPP3, DPP2(3), DPP4(2) apply")
            % {"day": S33_REVIEWED.isoformat()},
            evidence,
        )
    if _mainland_transfers(tenant_id):  # pragma: no cover - only once s33 commences
        return Finding(
            Status.GAP, _("Section 33 is in force: review every transfer outside Hong Kong"), evidence
        )
    return _na(_("Section 33 is in force and no transfer outside Hong Kong is recorded"))  # pragma: no cover


CHECKS: dict[str, Callable[[uuid.UUID], Finding]] = {
    "PDPO-DPP1-PURPOSE": purpose_register,
    "PDPO-DPP1-PICS": pics_shown,
    "HR-EMPLOYEE-PICS": employee_pics,
    "PDPO-DPP5-OPENNESS": privacy_policy,
    "PDPO-DPP3-USE": consent_ledger,
    "PDPO-DPP4-SECURITY": system_security,
    "XB-TIA": transfer_assessments,
    "XB-RMC-2022": model_clauses,
    "XB-GBA": gba_contracts,
    "PDPO-DPP2-PROCESSOR": processor_retention,
    "PDPO-DPP4-PROCESSOR": processor_security,
    "PDPO-ROLE-DATAUSER": vendor_roles,
    "MON-3A": monitoring_assessed,
    "MON-COVERT": covert_monitoring,
    "MON-BIOMETRIC": biometric_monitoring,
    "DT-ENTITY": dingtalk_entity,
    "XB-S33-STATUS": s33_status,
    "PDPO-DPP1-MEANS": collection_means,
}


def register_all() -> None:
    for rule_id, check in CHECKS.items():
        register_check(rule_id, check)
