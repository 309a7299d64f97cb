"""The security baseline report: a secure and an insecure company, rule by rule; exceptions; the page,
JSON and CSV outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyotp
import pytest
from django.test import Client

from harbour.core.errors import Invalid
from harbour.core.time import now
from harbour.identity.models import DeviceCredential, TotpAuthenticator
from harbour.identity.sso.actions import create_connection
from harbour.security.actions import grant_exception, revoke_exception
from harbour.security.baseline import Status, evaluate, rules
from harbour.security.models import SecuritySettings
from tests.api.helpers import ApiClient, body
from tests.factories import Company, make_company

EVERY_RULE = {
    "HB.ADM.1v1",
    "HB.DEV.1v1",
    "HB.DOM.1v1",
    "HB.DOM.2v1",
    "HB.EXT.1v1",
    "HB.LOG.1v1",
    "HB.MFA.1v1",
    "HB.MFA.2v1",
    "HB.NET.1v1",
    "HB.SES.1v1",
    "HB.SSO.1v1",
    "HB.SSO.2v1",
    "HB.SSO.3v1",
    "HB.TMP.1v1",
}


def _secure(company: Company) -> None:
    """Everything the baseline recommends, set up directly (the settings checks are tested elsewhere)."""
    create_connection(
        company.system,
        name="Entra ID",
        protocol="oidc",
        values={"issuer": "https://idp.example.com", "client_id": "harbour", "client_secret": "s3cret"},
    )
    for member in (company.admin,):
        TotpAuthenticator.objects.create(
            account=member.account, secret=pyotp.random_base32(), confirmed_at=now()
        )
        DeviceCredential.objects.create(
            tenant=company.tenant, member=member, name="Laptop", credential_id="cred-1", public_key=b"k"
        )
    SecuritySettings.objects.for_tenant(company.tenant).update_or_create(
        tenant_id=company.tenant.pk,
        defaults={
            "sso_only": True,
            "break_glass_member_id": company.admin.pk,
            "mfa_for_admins": True,
            "domain_binding": True,
            "company_devices_only": True,
            "allowed_networks": ["203.0.113.0/24"],
        },
    )


def _by_id(report) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {r.rule.id: r for r in report.results}


def test_rules_are_versioned_and_levelled() -> None:
    ids = {r.id for r in rules()}
    assert ids >= EVERY_RULE
    assert all(rule.id.startswith("HB.") and "v" in rule.id.rsplit(".", 1)[1] for rule in rules())
    assert {r.level.value for r in rules()} == {"SHALL", "SHOULD"}


def test_a_secure_company_passes_every_rule(company: Company) -> None:
    _secure(company)
    report = evaluate(company.tenant)
    dingtalk = {r.rule.id: r.finding.status for r in report.results if r.rule.id.startswith("HB.DT.")}
    assert dingtalk and set(dingtalk.values()) == {Status.NOT_APPLICABLE}  # no DingTalk connection
    failing = {
        r.rule.id: r.finding
        for r in report.results
        if r.finding.status != Status.PASS and r.rule.id not in dingtalk
    }
    assert failing == {}
    assert report.score == 100


def test_an_insecure_company_fails_rule_by_rule_with_actual_and_expected(db: None) -> None:
    company = make_company("lax", plan="basic")  # no SSO in the plan, no domains
    SecuritySettings.objects.for_tenant(company.tenant).update_or_create(
        tenant_id=company.tenant.pk,
        defaults={
            "external_auto_join": True,
            "temporary_max_days": 30,
            "session_lifetime_minutes": 7 * 24 * 60,
        },
    )
    results = _by_id(evaluate(company.tenant))
    expected_failures = {
        "HB.SSO.1v1",
        "HB.SSO.2v1",
        "HB.MFA.1v1",
        "HB.MFA.2v1",
        "HB.EXT.1v1",
        "HB.DOM.1v1",
        "HB.DOM.2v1",
        "HB.TMP.1v1",
        "HB.SES.1v1",
        "HB.DEV.1v1",
    }
    assert {i for i, r in results.items() if r.finding.status == Status.FAIL} == expected_failures
    assert {i for i, r in results.items() if r.finding.status == Status.WARNING} == {
        "HB.SSO.3v1",
        "HB.NET.1v1",
    }
    assert results["HB.TMP.1v1"].finding.actual == "30 days"
    assert results["HB.TMP.1v1"].finding.expected == "at most 7 days"
    assert "plan" in results["HB.SSO.1v1"].finding.note
    assert results["HB.LOG.1v1"].finding.status == Status.PASS
    assert evaluate(company.tenant).score < 30


def test_too_many_administrators_fail_the_share_rule(company: Company) -> None:
    from harbour.directory.models import BuiltinRole
    from tests.factories import make_member

    for n in range(4):
        make_member(
            company, name=f"Extra Admin {n}", email=f"admin{n}@acme.com.hk", role=BuiltinRole.ADMINISTRATOR
        )
    finding = _by_id(evaluate(company.tenant))["HB.ADM.1v1"].finding
    assert finding.status == Status.FAIL and finding.actual.startswith("5 administrators")


def test_an_exception_accepts_a_deviation_until_it_ends(company: Company) -> None:
    before = evaluate(company.tenant)
    assert _by_id(before)["HB.NET.1v1"].finding.status == Status.WARNING
    exception = grant_exception(
        company.admin,
        rule_id="HB.NET.1v1",
        rationale="Staff work from client sites all over town",
        expires_at=now() + dt.timedelta(days=90),
    )
    after = evaluate(company.tenant)
    assert _by_id(after)["HB.NET.1v1"].accepted and after.score > before.score
    revoke_exception(company.admin, exception)
    assert not _by_id(evaluate(company.tenant))["HB.NET.1v1"].accepted


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"rule_id": "HB.NOPE.1v1"}, "rule_id"),
        ({"rationale": "short"}, "rationale"),
        ({"expires_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, "expires_at"),
        ({"expires_at": now() + dt.timedelta(days=800)}, "expires_at"),
    ],
)
def test_bad_exceptions_are_refused(company: Company, values: dict, field: str) -> None:  # type: ignore[type-arg]
    good = {
        "rule_id": "HB.NET.1v1",
        "rationale": "a good long reason",
        "expires_at": now() + dt.timedelta(days=9),
    }
    with pytest.raises(Invalid) as refused:
        grant_exception(company.admin, **{**good, **values})
    assert refused.value.field == field


def test_json_csv_and_page(company: Company, admin_api: ApiClient) -> None:
    report = body(admin_api.get("/security/baseline"))
    assert {r["rule_id"] for r in report["rules"]} >= EVERY_RULE and 0 <= report["score"] <= 100
    tmp = next(r for r in report["rules"] if r["rule_id"] == "HB.TMP.1v1")
    assert tmp == {
        **tmp,
        "level": "SHALL",
        "result": "pass",
        "actual": "7 days",
        "expected": "at most 7 days",
    }
    response = admin_api.get("/security/baseline.csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["rule_id"] for r in rows} == {r["rule_id"] for r in report["rules"]}
    client = Client()
    client.force_login(company.admin.account)
    page = client.get("/security/baseline/")
    assert (
        page.status_code == 200
        and b"HB.SSO.2v1" in page.content
        and f"{report['score']}%".encode() in page.content
    )


def test_the_dashboard_shows_the_score(company: Company) -> None:
    client = Client()
    client.force_login(company.admin.account)
    score = evaluate(company.tenant).score
    page = client.get("/").content.decode()
    assert f"{score}%" in page and "security baseline score" in page
    member = Client()
    member.force_login(company.member.account)
    assert "security baseline score" not in member.get("/").content.decode()
