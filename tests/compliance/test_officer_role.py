"""The built-in Compliance Officer runs the whole programme and nothing else: every governance page opens,
the directory is read-only."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from harbour.directory.models import BuiltinRole, Member, Role
from tests.factories import Company, make_member

PROGRAMME_PAGES = (
    "/compliance/",
    "/policies/manage/",
    "/training/",
    "/announcements/manage/",
    "/pdpo/",
    "/data-requests/",
    "/retention/",
    "/security/incidents/",
)


def test_every_company_has_the_role_with_the_programme_codes(company: Company) -> None:
    role = Role.objects.for_tenant(company.tenant).get(builtin=BuiltinRole.COMPLIANCE_OFFICER)
    for code in ("compliance.manage", "policy.manage", "training.manage", "announcement.manage"):
        assert code in role.permissions
    for code in ("pdpo.approve", "datarequest.manage", "retention.manage", "incident.breach", "audit.view"):
        assert code in role.permissions
    assert "member.invite" not in role.permissions and "role.grant" not in role.permissions


def test_the_officer_opens_every_programme_page_but_cannot_manage_members(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    officer = make_member(
        company, name="Olivia Officer", email="olivia@acme.com.hk", role=BuiltinRole.COMPLIANCE_OFFICER
    )
    client = as_member(officer)
    for path in PROGRAMME_PAGES:
        assert client.get(path).status_code == 200, path
    assert client.get("/members/invite/").status_code == 404
