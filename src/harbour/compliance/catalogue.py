"""The rule catalogue the dashboard and the report are built on: every rule id of the PDPO research notes
(reference/hk-pdpo.md) and Harbour's own governance items, with a short title, what the company must do,
how sure the source is and what kind of rule it is.

Other apps register checks for these ids in ``harbour.core.compliance``; a rule without a check is shown as
"not assessed by Harbour", never as met."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise


@dataclass(frozen=True)
class Rule:
    id: str
    section: str  # Section.key
    title: Promise
    duty: Promise  # what the company must do, in a sentence or two
    confidence: str  # "C" confirmed, "P" partly confirmed, "U" unconfirmed (the source's marker)
    kind: str  # a KINDS key

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def confidence_label(self) -> str:
        return str(CONFIDENCE[self.confidence])


SECTIONS: list[Section] = [
    Section("framing", _("Framing: roles and enforcement")),
    Section("dpp", _("The six Data Protection Principles")),
    Section("cross_border", _("Cross-border transfer")),
    Section("breach", _("Data breach handling")),
    Section("monitoring_hr", _("Employee monitoring and HR data")),
    Section("marketing_doxxing", _("Direct marketing and doxxing")),
    Section("mainland", _("Mainland rules")),
    Section("ai", _("AI tools")),
    Section("governance", _("Harbour usage governance")),
]

KINDS: dict[str, Promise] = {
    "binding": pgettext_lazy("rule kind", "binding"),
    "statutory_code": _("statutory code"),
    "guidance": pgettext_lazy("rule kind", "guidance"),
    "proposal": _("proposal, not law"),
    "mainland": _("mainland law"),
    "framing": pgettext_lazy("rule kind", "framing"),
    "company_policy": _("company policy"),
}

CONFIDENCE: dict[str, Promise] = {
    "C": _("confirmed in a source"),
    "P": _("partly confirmed"),
    "U": _("unconfirmed: treated as an assumption"),
}


def _r(rule_id: str, section: str, title: Promise, duty: Promise, confidence: str, kind: str) -> Rule:
    return Rule(rule_id, section, title, duty, confidence, kind)


RULES: list[Rule] = [
    # --- framing
    _r(
        "PDPO-ROLE-DATAUSER",
        "framing",
        _("The company is the data user"),
        _(
            "The company controls the personal data and answers for what its processors (the suite vendor "
            "included) do with it; record for each vendor whether it acts as processor or data user."
        ),
        "C",
        "framing",
    ),
    _r(
        "PDPO-DPP-NOT-OFFENCE",
        "framing",
        _("Breaking a principle leads to an enforcement notice"),
        _(
            "A breach of a data protection principle is not itself an offence, but the PCPD may serve an "
            "enforcement notice; ignoring the notice is an offence with fines and imprisonment."
        ),
        "C",
        "framing",
    ),
    _r(
        "DT-ENTITY",
        "framing",
        _("Know the suite vendor's contracting entity and data region"),
        _(
            "Record which vendor entity serves the company (Singapore or mainland) and where its data is "
            "stored; the mainland entity's city decides whether the GBA contract is available."
        ),
        "P",
        "framing",
    ),
    # --- the six principles
    _r(
        "PDPO-DPP1-PURPOSE",
        "dpp",
        _("Collect only for a lawful, necessary purpose"),
        _(
            "Collect personal data only for a lawful purpose directly related to the business, adequate but "
            "not excessive; keep a purpose for every field or form and flag fields without one."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP1-MEANS",
        "dpp",
        _("Collect by lawful and fair means"),
        _(
            "Record how each kind of data is collected; covert collection only with a documented "
            "justification."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP1-PICS",
        "dpp",
        _("Tell people why their data is collected (PICS)"),
        _(
            "Before collection, tell each person the purpose, whether supplying the data is obligatory and "
            "who may receive it; before first use, their access and correction rights and whom to ask. Keep "
            "the notice version each person was shown."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP2-ACCURACY",
        "dpp",
        _("Keep data accurate"),
        _("Take practicable steps to keep personal data accurate and record corrections."),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP2-RETENTION",
        "dpp",
        _("Keep data no longer than needed, then erase it"),
        _(
            "Set a retention period for each category of personal data, compute each record's erase-by date "
            "and erase on time, keeping evidence of the erasure (s26)."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP2-PROCESSOR",
        "dpp",
        _("Processors keep data no longer than needed"),
        _(
            "Bind each data processor by contract or oversight not to keep data longer than necessary, with "
            "a return or delete clause at the end of the service."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP3-USE",
        "dpp",
        _("Use data only for its purpose unless there is consent"),
        _(
            "Use personal data only for the purpose it was collected for, or a directly related one, unless "
            "the person gave express, voluntary consent (which they may withdraw in writing)."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP4-SECURITY",
        "dpp",
        _("Protect data against unauthorised access and loss"),
        _(
            "Take all practicable security steps, considering the harm, the storage location, equipment, "
            "staff with access and secure transmission; keep one security record per system."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP4-PROCESSOR",
        "dpp",
        _("Processors protect the data they receive"),
        _(
            "Bind each processor by contract or oversight to protect the transferred data, with security, "
            "breach-notice and audit clauses."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP5-OPENNESS",
        "dpp",
        _("Publish a privacy policy statement"),
        _(
            "Make the company's personal data policies and practices, the kinds of data held and their main "
            "purposes available in a versioned privacy policy statement."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP6-DAR",
        "dpp",
        _("Answer data access requests within 40 days"),
        _(
            "Answer each data access request in writing within 40 days of receipt (or refuse with reasons "
            "within 40 days); the fee must not be excessive."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-DPP6-DCR",
        "dpp",
        _("Answer data correction requests within 40 days"),
        _(
            "Correct inaccurate data within 40 days, give the person a corrected copy, tell third parties "
            "that received the data in the previous 12 months, and charge no fee."
        ),
        "C",
        "binding",
    ),
    _r(
        "PDPO-S27-LOGBOOK",
        "dpp",
        _("Keep a log book of refused requests for 4 years"),
        _(
            "Log every refused access or correction request with its reasons, in Chinese or English, and "
            "keep the entries for at least 4 years."
        ),
        "C",
        "binding",
    ),
    # --- cross-border
    _r(
        "XB-S33-STATUS",
        "cross_border",
        _("Section 33 transfer ban is not in force"),
        _(
            "Section 33 (restrictions on transfers outside Hong Kong) has not commenced; transfers are "
            "governed by the notice, use and processor principles, so review its status each release."
        ),
        "C",
        "framing",
    ),
    _r(
        "XB-PCPD-2014",
        "cross_border",
        _("PCPD cross-border transfer guidance (2014)"),
        _("Follow the PCPD's 2014 guidance on protecting personal data in cross-border transfers."),
        "C",
        "guidance",
    ),
    _r(
        "XB-RMC-2022",
        "cross_border",
        _("Recommended model contractual clauses (2022)"),
        _(
            "For each transfer, record the clause set used (user to user, or user to processor), its date, "
            "parties, data categories and purposes, onward-transfer limits, and the reporting, audit, breach "
            "and cooperation clauses."
        ),
        "C",
        "guidance",
    ),
    _r(
        "XB-TIA",
        "cross_border",
        _("Assess a transfer before data goes to the mainland"),
        _(
            "Before transferring, assess purpose and necessity, the data and its sensitivity, the "
            "recipient's capacity, the risks after transfer, the destination's laws and onward transfers; "
            "keep the dated, approved assessment for at least 3 years."
        ),
        "P",
        "guidance",
    ),
    _r(
        "XB-GBA",
        "cross_border",
        _("Greater Bay Area standard contract"),
        _(
            "Where both parties are in Hong Kong or the nine mainland GBA cities, the GBA standard contract "
            "may be used: impact assessment first, no onward transfer outside the GBA, filing within 10 "
            "working days."
        ),
        "C",
        "guidance",
    ),
    # --- breaches
    _r(
        "DBN-GUIDE-2023",
        "breach",
        _("Handle data breaches in the PCPD's five steps"),
        _(
            "Keep a breach register and a response plan; for each breach gather the facts, contain it, "
            "assess the risk of harm, decide on notifying the PCPD and the people affected, and document it."
        ),
        "C",
        "guidance",
    ),
    _r(
        "DBN-PROPOSALS",
        "breach",
        _("Proposed mandatory breach notification"),
        _(
            "Proposals (not law) would require notice to the PCPD within 5 business days, retention "
            "policies and fines; watch the reform."
        ),
        "C",
        "proposal",
    ),
    _r(
        "CI-CAP653",
        "breach",
        _("Critical infrastructure incident reports (Cap. 653)"),
        _(
            "Designated critical infrastructure operators report computer-system incidents within 12 or 48 "
            "hours; record whether the company is designated."
        ),
        "C",
        "binding",
    ),
    # --- monitoring and HR
    _r(
        "MON-3A",
        "monitoring_hr",
        _("Assess monitoring before it starts"),
        _(
            "Before monitoring employees, record the business risk it answers, less intrusive alternatives "
            "and who is accountable, with an approver."
        ),
        "C",
        "guidance",
    ),
    _r(
        "MON-3C",
        "monitoring_hr",
        _("A written monitoring policy, told to employees"),
        _(
            "Write a monitoring policy (purposes, when and how, data collected, permitted uses), tell "
            "employees before monitoring starts, and erase the data routinely."
        ),
        "C",
        "guidance",
    ),
    _r(
        "MON-COVERT",
        "monitoring_hr",
        _("Covert monitoring only as a last resort"),
        _(
            "Covert monitoring only on reasonable suspicion of unlawful activity with no alternative, with a "
            "logged justification, a time limit and a named approver."
        ),
        "C",
        "guidance",
    ),
    _r(
        "MON-GPS-WIFI",
        "monitoring_hr",
        _("Location attendance kept to the minimum"),
        _(
            "Capture location only at clock-in and clock-out, prefer a yes/no geofence to coordinates, offer "
            "a non-location alternative and keep the data briefly."
        ),
        "U",
        "guidance",
    ),
    _r(
        "MON-BIOMETRIC",
        "monitoring_hr",
        _("Biometric attendance only by real choice"),
        _(
            "Fingerprint or face attendance only with voluntary opt-in, an alternative method and a way to "
            "delete the data."
        ),
        "C",
        "guidance",
    ),
    _r(
        "HR-CODE-STATUS",
        "monitoring_hr",
        _("The Code of Practice on HR Management applies"),
        _(
            "The HR code is a statutory code: breaching it counts against the employer in proceedings and "
            "PCPD investigations."
        ),
        "C",
        "statutory_code",
    ),
    _r(
        "HR-RECRUIT-2Y",
        "monitoring_hr",
        _("Unsuccessful applicants' data: at most 2 years"),
        _(
            "Destroy unsuccessful applicants' data within 2 years of the rejection; collect no HKID copy "
            "before an offer is accepted."
        ),
        "C",
        "statutory_code",
    ),
    _r(
        "HR-EMPLOYEE-PICS",
        "monitoring_hr",
        _("Employees get a collection notice"),
        _(
            "Give employees a collection notice before collecting their data; use appraisal and disciplinary "
            "data only for that process; bind outsourced HR processors."
        ),
        "C",
        "statutory_code",
    ),
    _r(
        "HR-FORMER-7Y",
        "monitoring_hr",
        _("Former employees' data: at most 7 years"),
        _(
            "Erase a former employee's data within 7 years of leaving unless a documented legal reason "
            "requires longer; give references only with consent."
        ),
        "C",
        "statutory_code",
    ),
    # --- direct marketing and doxxing
    _r(
        "DM-6A",
        "marketing_doxxing",
        _("Direct marketing needs notice and consent"),
        _(
            "Before direct marketing, tell people and get their consent, honour opt-outs free of charge, and "
            "get written consent before giving data to others for marketing."
        ),
        "C",
        "binding",
    ),
    _r(
        "DOX-S64",
        "marketing_doxxing",
        _("Doxxing: take down on a cessation notice"),
        _(
            "Disclosing personal data without consent to cause harm is an offence; be able to take down "
            "content promptly when the PCPD serves a cessation notice, with an audit trail."
        ),
        "C",
        "binding",
    ),
    # --- mainland
    _r(
        "PRC-PIPL-XB",
        "mainland",
        _("PIPL cross-border rules"),
        _(
            "Exporting mainland personal information needs a legal route, notice and separate consent, and "
            "an impact assessment kept for at least 3 years."
        ),
        "C",
        "mainland",
    ),
    _r(
        "PRC-2024-PROVISIONS",
        "mainland",
        _("2024 cross-border data flow provisions"),
        _(
            "Data collected outside the mainland and sent back out is exempt unless mainland personal "
            "information is added; count people whose data is exported each calendar year."
        ),
        "C",
        "mainland",
    ),
    _r(
        "PRC-DSL-36",
        "mainland",
        _("Foreign authorities' requests for mainland data"),
        _(
            "Data stored in the mainland may not be given to foreign judicial or enforcement bodies without "
            "approval; route any vendor disclosure request to legal review."
        ),
        "C",
        "mainland",
    ),
    _r(
        "PRC-NDSMR",
        "mainland",
        _("Network Data Security Management Regulations"),
        _("The 2025 regulations set the conditions for sending personal information abroad."),
        "C",
        "mainland",
    ),
    # --- AI
    _r(
        "AI-MODEL-FW-2024",
        "ai",
        _("AI model personal data protection framework"),
        _(
            "Where AI handles personal data: governance, risk assessment with human oversight, managed "
            "implementation and communication with those affected."
        ),
        "C",
        "guidance",
    ),
    _r(
        "AI-GENAI-CHECKLIST-2025",
        "ai",
        _("Employees' use of generative AI"),
        _(
            "An internal policy on permitted AI tools and purposes, what may be input, how outputs are used "
            "and kept, security and training."
        ),
        "C",
        "guidance",
    ),
    # --- Harbour governance
    _r(
        "HB-GOV-CONDUCT",
        "governance",
        _("Conduct policy acknowledged"),
        _("Every member has acknowledged the current version of each conduct policy that applies to them."),
        "C",
        "company_policy",
    ),
    _r(
        "HB-GOV-TRAINING",
        "governance",
        _("Quarterly training completed"),
        _("Every member assigned the quarter's training has completed it on time."),
        "C",
        "company_policy",
    ),
    _r(
        "HB-GOV-ANNOUNCE",
        "governance",
        _("Announcements follow the template and are read"),
        _("Announcements follow the four-part template and the people they are addressed to read them."),
        "C",
        "company_policy",
    ),
    _r(
        "HB-GOV-INCIDENT-24H",
        "governance",
        _("Incidents reported within 24 hours"),
        _("Each security or privacy incident is reported within 24 hours of its discovery."),
        "C",
        "company_policy",
    ),
]

_BY_ID = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule | None:
    return _BY_ID.get(rule_id)


def rule_ids() -> set[str]:
    return set(_BY_ID)


def section_title(key: str) -> str:
    for section in SECTIONS:
        if section.key == key:
            return str(section.title)
    return key
