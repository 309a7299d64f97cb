"""Permission-matrix rows for the PDPO register routes: reading needs ``pdpo.view``, keeping the register
``pdpo.manage``, approving assessments ``pdpo.approve``; any member may read and acknowledge the current
PICS."""

from __future__ import annotations

from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row
from tests.pdpo import builders

B = "/pdpo"


def _member_id(w: World) -> str:
    assert w.a.member is not None
    return str(w.a.member.pk)


def _pics(w: World) -> str:
    return str(builders.notice(w.a).pk)


def _draft_notice(w: World) -> str:
    return str(builders.notice(w.a, "pps", published=False).pk)


ROWS: list[Row] = [
    Row("GET", f"{B}/systems", lambda w: Call(f"{B}/systems"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/systems",
        lambda w: Call(f"{B}/systems", {"name": "HR files"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/systems/{{system_id}}",
        lambda w: Call(f"{B}/systems/{builders.system(w.a).pk}", {"staff_integrity": "vetted"}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/inventory", lambda w: Call(f"{B}/inventory"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/inventory",
        lambda w: Call(
            f"{B}/inventory",
            {
                "name": "Chat records",
                "data_fields": ["messages"],
                "purposes": ["internal communication"],
                "channel": "app",
                "obligatory": True,
                "storage_location": "DingTalk",
                "origin": "hk",
                "sensitivity": "normal",
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/inventory/{{category_id}}",
        lambda w: Call(f"{B}/inventory/{builders.category(w.a).pk}", {"purposes": ["payroll"]}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/notices", lambda w: Call(f"{B}/notices"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/notices",
        lambda w: Call(f"{B}/notices", {"kind": "pics", "title": "PICS", "body_en": "x", "body_zh": "乙"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/notices/{{notice_id}}",
        lambda w: Call(f"{B}/notices/{_draft_notice(w)}", {"title": "PPS 2"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{B}/notices/{{notice_id}}/publish",
        lambda w: Call(f"{B}/notices/{_draft_notice(w)}/publish"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        f"{B}/notices/{{notice_id}}/shown",
        lambda w: Call(f"{B}/notices/{_pics(w)}/shown"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{B}/notices/{{notice_id}}/shown",
        lambda w: Call(f"{B}/notices/{_pics(w)}/shown", {"person_name": "Candidate Chan"}),
        ok=201,
        denied=WRITERS,
    ),
    Row("GET", f"{B}/pics/not-shown", lambda w: Call(f"{B}/pics/not-shown"), denied=WRITERS, other="own"),
    Row("GET", f"{B}/pics/current", lambda w: Call(f"{B}/pics/current"), denied=(), other="own"),
    Row(
        "POST",
        f"{B}/pics/current/seen",
        lambda w: (_pics(w), Call(f"{B}/pics/current/seen"))[1],
        denied=(),
        allowed="member",
    ),
    Row("GET", f"{B}/consents", lambda w: Call(f"{B}/consents"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/consents",
        lambda w: Call(
            f"{B}/consents",
            {
                "member_id": _member_id(w),
                "purpose": "staff photos on website",
                "action": "grant",
                "channel": "written",
            },
        ),
        ok=201,
        denied=WRITERS,
    ),
    Row("GET", f"{B}/consents/current", lambda w: Call(f"{B}/consents/current"), denied=WRITERS, other="own"),
    Row("GET", f"{B}/tias", lambda w: Call(f"{B}/tias"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/tias",
        lambda w: Call(f"{B}/tias", {**builders.TIA_ANSWERS, "title": "New", "review_on": "2099-01-01"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/tias/{{tia_id}}",
        lambda w: Call(f"{B}/tias/{builders.tia(w.a).pk}", {"risk": "low"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{B}/tias/{{tia_id}}/approve",
        lambda w: Call(f"{B}/tias/{builders.tia(w.a).pk}/approve", {}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/gba", lambda w: Call(f"{B}/gba"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/gba",
        lambda w: Call(
            f"{B}/gba", {"counterparty": "GZ Co", "our_city": "hong_kong", "counterparty_city": "guangzhou"}
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/gba/{{contract_id}}",
        lambda w: Call(f"{B}/gba/{builders.gba(w.a).pk}", {"effective_on": "2026-12-24"}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/processors", lambda w: Call(f"{B}/processors"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/processors",
        lambda w: Call(f"{B}/processors", {"vendor": "PayrollCo", "contract_id": "P-1"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/processors/{{processor_id}}",
        lambda w: Call(f"{B}/processors/{builders.processor(w.a).pk}", {"clause_audit": True}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/monitoring", lambda w: Call(f"{B}/monitoring"), denied=WRITERS, other="own"),
    Row(
        "POST",
        f"{B}/monitoring",
        lambda w: Call(f"{B}/monitoring", {**builders.MONITORING_ANSWERS, "feature": "read_receipts"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PATCH",
        f"{B}/monitoring/{{assessment_id}}",
        lambda w: Call(f"{B}/monitoring/{builders.monitoring(w.a).pk}", {"clarity": "policy v3"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        f"{B}/monitoring/{{assessment_id}}/approve",
        lambda w: Call(f"{B}/monitoring/{builders.monitoring(w.a).pk}/approve", {}),
        denied=WRITERS,
    ),
    Row("GET", f"{B}/location", lambda w: Call(f"{B}/location"), denied=WRITERS, other="own"),
    Row(
        "PUT",
        f"{B}/location",
        lambda w: Call(
            f"{B}/location",
            {
                "registration_location": "Hong Kong",
                "storage_regions": ["Hong Kong"],
                "dingtalk_entity": "singapore",
                "data_region": "Singapore",
            },
        ),
        denied=WRITERS,
        other="own",
    ),
]
