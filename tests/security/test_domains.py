"""Corporate domain binding: domains verified by a DNS TXT record (from a real DNS server on loopback) or
an audited override; invitations outside the verified domains refused; the outside-members report."""

from __future__ import annotations

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.errors import Conflict, Invalid
from harbour.directory import actions
from harbour.directory.models import Member
from harbour.security import domains
from harbour.security.actions import update_settings
from harbour.security.models import TenantDomain
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company, make_company, make_member


@pytest.fixture
def signed_in_admin(company: Company) -> Client:
    assert company.admin is not None and company.admin.account is not None
    client = Client()
    client.force_login(company.admin.account)
    return client


def _kinds(company: Company) -> list[str]:
    return list(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))


def test_a_domain_is_verified_by_its_published_txt_record(company: Company, dns_server) -> None:  # type: ignore[no-untyped-def]
    row = domains.add_domain(company.admin, "acme-group.hk")
    assert not row.is_verified and row.txt_value.startswith("harbour-verification=")

    checked = domains.check_domain(company.admin, "acme-group.hk")  # nothing published yet
    assert not checked.is_verified and "no harbour-verification" in checked.last_check_result
    assert "_harbour-verification.acme-group.hk" in dns_server.queries

    dns_server.publish("_harbour-verification.acme-group.hk", "v=spf1 -all", row.txt_value)
    checked = domains.check_domain(company.admin, "acme-group.hk")
    assert checked.is_verified and checked.method == TenantDomain.Method.DNS
    assert "domain.verified" in _kinds(company)


def test_a_txt_record_on_the_domain_itself_counts_and_a_wrong_value_does_not(
    company: Company, dns_server
) -> None:  # type: ignore[no-untyped-def]
    row = domains.add_domain(company.admin, "acme.asia")
    dns_server.publish("acme.asia", "harbour-verification=someone-elses-token")
    checked = domains.check_domain(company.admin, "acme.asia")
    assert not checked.is_verified and "different" in checked.last_check_result
    dns_server.publish("acme.asia", row.txt_value)
    assert domains.check_domain(company.admin, "acme.asia").is_verified


def test_an_unreachable_dns_server_is_reported_not_guessed(company: Company, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HARBOUR_DNS_SERVERS = ["127.0.0.1"]
    settings.HARBOUR_DNS_PORT = 9  # discard: nothing answers
    import harbour.security.dns_check as dns_check

    dns_check.TIMEOUT_SECONDS, saved = 0.3, dns_check.TIMEOUT_SECONDS
    try:
        domains.add_domain(company.admin, "slow.hk")
        checked = domains.check_domain(company.admin, "slow.hk")
    finally:
        dns_check.TIMEOUT_SECONDS = saved
    assert not checked.is_verified and checked.last_check_result.startswith("DNS lookup failed")


def test_override_needs_a_reason_and_is_audited(company: Company) -> None:
    domains.add_domain(company.admin, "acme.cn")
    with pytest.raises(Invalid) as refused:
        domains.override_verification(company.admin, "acme.cn", reason="")
    assert refused.value.field == "reason"
    row = domains.override_verification(company.admin, "acme.cn", reason="registrar freeze until month end")
    assert row.is_verified and row.method == TenantDomain.Method.OVERRIDE
    event = AuditEvent.objects.for_tenant(company.tenant).filter(kind="domain.verified_override").get()
    assert event.data["reason"] == "registrar freeze until month end"


def test_a_verified_domain_belongs_to_one_company(company: Company, other_company: Company) -> None:
    domains.add_domain(other_company.admin, "acme.com.hk")  # acme's, verified in the factory
    with pytest.raises(Conflict):
        domains.override_verification(other_company.admin, "acme.com.hk", reason="we bought it, honestly")


def test_invitations_outside_the_verified_domains_are_refused(company: Company) -> None:
    spec = actions.MemberSpec(email="someone@gmail.com", name="Outsider")
    with pytest.raises(Invalid) as refused:
        actions.invite_member(company.admin, spec)
    assert refused.value.field == "email" and "acme.com.hk" in refused.value.message
    domains.add_domain(company.admin, "acme-group.hk")  # listed but not verified: still refused
    with pytest.raises(Invalid):
        actions.invite_member(company.admin, actions.MemberSpec(email="a@acme-group.hk", name="A"))
    update_settings(company.admin, {"domain_binding": False})
    assert actions.invite_member(company.admin, spec).email == "someone@gmail.com"


def test_binding_on_without_any_verified_domain_refuses_everyone(db: None) -> None:
    company = make_company("fresh")  # no domains
    update_settings(company.admin, {"domain_binding": True})
    with pytest.raises(Invalid) as refused:
        actions.invite_member(company.admin, actions.MemberSpec(email="x@fresh.example", name="X"))
    assert "no verified domain" in refused.value.message


def test_outside_members_report(company: Company, admin_api: ApiClient) -> None:
    update_settings(company.admin, {"domain_binding": False})
    make_member(company, name="Old Contractor", email="contractor@gmail.com")
    update_settings(company.admin, {"domain_binding": True})
    outside = [m.email for m in domains.members_outside_domains(company.admin)]
    assert outside == ["contractor@gmail.com"]
    listed = body(admin_api.get("/security/domains/outside-members"))
    assert [m["email"] for m in listed] == ["contractor@gmail.com"]


def test_domains_through_the_api(company: Company, admin_api: ApiClient, dns_server) -> None:  # type: ignore[no-untyped-def]
    created = admin_api.post("/security/domains", {"name": "@Acme-Intl.HK"})
    assert created.status_code == 201
    added = body(created)
    assert added["name"] == "acme-intl.hk" and not added["verified"]
    dns_server.publish(added["txt_record_name"], added["txt_record_value"])
    checked = body(admin_api.post("/security/domains/acme-intl.hk/check"))
    assert checked["verified"] and checked["method"] == "dns"
    assert_problem(admin_api.post("/security/domains", {"name": "not a domain"}), 422, "name")
    assert_problem(admin_api.post("/security/domains/unknown.hk/check"), 404, "name")
    assert admin_api.delete("/security/domains/acme-intl.hk").status_code == 204
    company.tenant.refresh_from_db()
    assert "acme-intl.hk" not in company.tenant.email_domains


def test_domain_pages(company: Company, signed_in_admin, dns_server) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_admin.post("/security/domains/", {"name": "acme-labs.hk"}, follow=True)
    assert page.status_code == 200 and b"acme-labs.hk" in page.content
    row = TenantDomain.objects.for_tenant(company.tenant).get(name="acme-labs.hk")
    assert row.txt_value.encode() in page.content  # the record to publish is shown
    dns_server.publish("_harbour-verification.acme-labs.hk", row.txt_value)
    page = signed_in_admin.post("/security/domains/check/", {"name": "acme-labs.hk"}, follow=True)
    assert b"acme-labs.hk is verified" in page.content
    outside = signed_in_admin.get("/security/domains/outside/")
    assert outside.status_code == 200 and Member.objects.for_tenant(company.tenant).exists()


def test_a_bulk_import_reads_the_binding_once_and_refuses_the_whole_batch(company: Company) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [
        actions.MemberSpec(email=f"bulk{n}@acme.com.hk", name=f"Bulk {n}", state="active") for n in range(50)
    ]
    with CaptureQueriesContext(connection) as ctx:
        actions.bulk_create_members(company.admin, rows)
    domain_reads = [q for q in ctx.captured_queries if "security_tenantdomain" in q["sql"]]
    assert len(domain_reads) == 1
    bad = [*rows[:3], actions.MemberSpec(email="bulk@gmail.com", name="Outsider", state="active")]
    before = Member.objects.for_tenant(company.tenant).count()
    with pytest.raises(Invalid) as refused:
        actions.bulk_create_members(
            company.admin, [actions.MemberSpec(email=f"x{s.email}", name=s.name) for s in bad]
        )
    assert refused.value.message.startswith("row 4:")
    assert Member.objects.for_tenant(company.tenant).count() == before
