"""Role rules: joiners get the General Member role and what the rules give; movers lose grants no longer
justified (audited) and gain the new ones; a rehire starts afresh."""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.core.errors import Forbidden, Invalid
from harbour.directory import actions
from harbour.directory.models import Member, RoleGrant
from harbour.lifecycle import actions as lifecycle
from harbour.lifecycle.leavers import freeze_leaver, rehire
from harbour.lifecycle.models import RuleGrant
from harbour.lifecycle.rules import create_rule, delete_rule
from tests.factories import Company


def _file(*rows: str) -> bytes:
    return ("employee number,email,name,department,title,status\n" + "\n".join(rows) + "\n").encode()


def _apply(company: Company, *rows: str) -> None:
    lifecycle.apply_run(company.admin, lifecycle.plan_file_import(company.admin, _file(*rows), "hr.csv"))


def _held(company: Company, email: str) -> set[tuple[str, str]]:
    member = Member.objects.for_tenant(company.tenant).get(email=email)
    return {
        (g.role.name, g.scope.name if g.scope else "")
        for g in RoleGrant.objects.for_tenant(company.tenant)
        .filter(member=member)
        .select_related("role", "scope")
    }


@pytest.fixture
def rules(company: Company) -> None:
    finance = company.departments["finance"]
    create_rule(
        company.admin, role=company.role("department_manager"), department=finance, title_contains="head"
    )
    auditor = actions.create_role(company.admin, name="Ledger reader", permissions=["member.view"])
    create_rule(company.admin, role=auditor, department=finance)


def test_a_joiner_gets_the_baseline_and_the_rules_roles(company: Company, rules: None) -> None:
    _apply(
        company,
        "N-1,pat@acme.com.hk,Pat Head,Accounts Payable,Head of AP,",
        "N-2,sam@acme.com.hk,Sam,Human Resources,,",
    )
    assert _held(company, "pat@acme.com.hk") == {
        ("General Member", ""),
        ("Department Manager", "Accounts Payable"),  # over the department that matched, a Finance subtree
        ("Ledger reader", ""),
    }
    assert _held(company, "sam@acme.com.hk") == {("General Member", "")}
    assert RuleGrant.objects.for_tenant(company.tenant).count() == 2


def test_a_mover_loses_what_is_no_longer_justified(company: Company, rules: None) -> None:
    _apply(company, "N-1,pat@acme.com.hk,Pat Head,Finance,Head of Finance,")
    pat = Member.objects.for_tenant(company.tenant).get(email="pat@acme.com.hk")
    hr = company.departments["hr"]
    actions.grant_role(
        company.admin, pat, company.role("department_manager"), scope=company.departments["accounts"]
    )
    actions.grant_role(company.admin, pat, company.role("department_manager"), scope=hr)  # a standing grant
    _apply(company, "N-1,pat@acme.com.hk,Pat Head,Human Resources,Head of Finance,")
    assert _held(company, "pat@acme.com.hk") == {
        ("General Member", ""),
        ("Department Manager", "Human Resources"),  # not over Finance any more
    }
    reasons = [
        e.data.get("reason")
        for e in AuditEvent.objects.for_tenant(company.tenant).filter(kind="grant.revoked")
    ]
    assert reasons.count("no longer justified after a move") == 3  # two rule grants, one over Finance


def test_a_title_change_recomputes_too(company: Company, rules: None) -> None:
    _apply(company, "N-1,pat@acme.com.hk,Pat,Finance,Clerk,")
    assert ("Department Manager", "Finance") not in _held(company, "pat@acme.com.hk")
    _apply(company, "N-1,pat@acme.com.hk,Pat,Finance,Head of Finance,")
    assert ("Department Manager", "Finance") in _held(company, "pat@acme.com.hk")
    _apply(company, "N-1,pat@acme.com.hk,Pat,Finance,Analyst,")
    assert ("Department Manager", "Finance") not in _held(company, "pat@acme.com.hk")


def test_a_rehire_starts_with_fresh_rights(company: Company, rules: None) -> None:
    _apply(company, "N-1,pat@acme.com.hk,Pat Head,Finance,Head of Finance,")
    pat = Member.objects.for_tenant(company.tenant).get(email="pat@acme.com.hk")
    actions.grant_role(company.admin, pat, company.role("administrator"))
    freeze_leaver(company.admin, pat)  # no successor named: the manager by default, or nobody
    rehire(company.admin, pat)
    assert _held(company, "pat@acme.com.hk") == {
        ("General Member", ""),
        ("Department Manager", "Finance"),
        ("Ledger reader", ""),
    }


def test_rules_need_a_condition_and_the_permission(company: Company) -> None:
    with pytest.raises(Invalid) as refused:
        create_rule(company.admin, role=company.role("department_manager"))
    assert refused.value.field == "department_id"
    member = company.member
    assert member is not None
    with pytest.raises(Forbidden):
        create_rule(member, role=company.role("administrator"), title_contains="boss")
    rule = create_rule(company.admin, role=company.role("administrator"), title_contains="CEO")
    delete_rule(company.admin, rule)
    kinds = set(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))
    assert {"hr.role_rule_created", "hr.role_rule_deleted"} <= kinds
