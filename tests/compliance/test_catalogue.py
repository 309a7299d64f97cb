"""The rule catalogue: every rule id of the PDPO research notes and Harbour's governance items, and every
rule id any app registers a check for."""

from __future__ import annotations

from harbour.compliance.catalogue import CONFIDENCE, KINDS, RULES, SECTIONS, rule_ids
from harbour.core.compliance import covered_rules

RESEARCH_IDS = [
    "PDPO-ROLE-DATAUSER",
    "PDPO-DPP-NOT-OFFENCE",
    "DT-ENTITY",
    "PDPO-DPP1-PURPOSE",
    "PDPO-DPP1-MEANS",
    "PDPO-DPP1-PICS",
    "PDPO-DPP2-ACCURACY",
    "PDPO-DPP2-RETENTION",
    "PDPO-DPP2-PROCESSOR",
    "PDPO-DPP3-USE",
    "PDPO-DPP4-SECURITY",
    "PDPO-DPP4-PROCESSOR",
    "PDPO-DPP5-OPENNESS",
    "PDPO-DPP6-DAR",
    "PDPO-DPP6-DCR",
    "PDPO-S27-LOGBOOK",
    "XB-S33-STATUS",
    "XB-PCPD-2014",
    "XB-RMC-2022",
    "XB-TIA",
    "XB-GBA",
    "DBN-GUIDE-2023",
    "DBN-PROPOSALS",
    "CI-CAP653",
    "MON-3A",
    "MON-3C",
    "MON-COVERT",
    "MON-GPS-WIFI",
    "MON-BIOMETRIC",
    "HR-CODE-STATUS",
    "HR-RECRUIT-2Y",
    "HR-EMPLOYEE-PICS",
    "HR-FORMER-7Y",
    "DM-6A",
    "DOX-S64",
    "PRC-PIPL-XB",
    "PRC-2024-PROVISIONS",
    "PRC-DSL-36",
    "PRC-NDSMR",
    "AI-MODEL-FW-2024",
    "AI-GENAI-CHECKLIST-2025",
]
GOVERNANCE_IDS = ["HB-GOV-CONDUCT", "HB-GOV-TRAINING", "HB-GOV-ANNOUNCE", "HB-GOV-INCIDENT-24H"]


def test_catalogue_holds_every_research_rule_and_governance_item() -> None:
    assert set(RESEARCH_IDS) | set(GOVERNANCE_IDS) == rule_ids()
    assert len(RULES) == len(rule_ids()), "a rule id appears twice"


def test_every_registered_check_names_a_catalogue_rule() -> None:
    """An app's check for an id the catalogue lacks would never reach the dashboard or the report."""
    assert covered_rules() - rule_ids() == set()


def test_each_rule_has_a_section_kind_confidence_title_and_duty() -> None:
    sections = {section.key for section in SECTIONS}
    for item in RULES:
        assert item.section in sections, item.id
        assert item.kind in KINDS, item.id
        assert item.confidence in CONFIDENCE, item.id
        assert str(item.title) and str(item.duty), item.id


def test_unconfirmed_and_proposed_rules_say_so() -> None:
    by_id = {item.id: item for item in RULES}
    assert by_id["MON-GPS-WIFI"].confidence == "U"
    assert by_id["DT-ENTITY"].confidence == "P"
    assert by_id["DBN-PROPOSALS"].kind == "proposal"
    assert by_id["PRC-PIPL-XB"].kind == "mainland"
    assert by_id["HR-FORMER-7Y"].kind == "statutory_code"
