"""The member list (search, filters, HTMX, keyset pages), inviting and editing members."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harbour.directory import actions
from harbour.directory.models import Department, Invitation, Member, Membership, MemberState
from tests.factories import Company

MEMBERS = reverse("directory:members")
INVITE = reverse("directory:member_invite")
ROW_LINK = re.compile(r'class="strong" href="/members/([0-9a-f-]{36})/"')


def listed(response: object) -> list[str]:
    """Names of the members in the result table, in order."""
    html = response.content.decode()  # type: ignore[attr-defined]
    ids = ROW_LINK.findall(html)
    names = dict(Member.objects.across_tenants().filter(pk__in=ids).values_list("pk", "name"))
    return [names[pk] for pk in (__import__("uuid").UUID(i) for i in ids)]


def add_members(company: Company, count: int, department: Department, *, prefix: str = "Zed") -> None:
    specs = [
        actions.MemberSpec(
            email=f"{prefix.lower()}{i:03d}@acme.com.hk",
            name=f"{prefix} {i:03d}",
            departments=[department],
            state=MemberState.ACTIVE,
        )
        for i in range(count)
    ]
    actions.bulk_create_members(company.system, specs)


def member_count(company: Company) -> int:
    return Member.objects.for_tenant(company.tenant).count()


# ------------------------------------------------------------------------------------------- the list
@pytest.mark.django_db
def test_administrator_lists_everyone_by_name(admin_client: Client) -> None:
    response = admin_client.get(MEMBERS)
    assert response.status_code == 200
    assert listed(response) == ["Ada Admin", "Fiona Finance", "Gary General", "Helen HR"]
    assert b"Invite member" in response.content


@pytest.mark.django_db
def test_manager_sees_only_their_subtree_and_themselves(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.manager is not None and company.outsider is not None
    client = as_member(company.manager)
    assert listed(client.get(MEMBERS)) == ["Fiona Finance", "Gary General"]
    assert client.get(reverse("directory:member", args=[company.outsider.pk])).status_code == 404
    assert client.get(MEMBERS, {"q": "Helen"}).content.count(b'class="strong"') == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [("gary", ["Gary General"]), ("財務", []), ("fiona@acme", ["Fiona Finance"]), ("E99999", [])],
)
def test_search_box_matches_names_and_email(admin_client: Client, query: str, expected: list[str]) -> None:
    assert listed(admin_client.get(MEMBERS, {"q": query})) == expected


@pytest.mark.django_db
def test_search_matches_chinese_name_employee_number_and_title(
    company: Company, admin_client: Client
) -> None:
    assert company.member is not None
    actions.update_member(company.system, company.member, name_zh="陳家明", title="Accounts Clerk")
    number = company.member.employee_number
    assert listed(admin_client.get(MEMBERS, {"q": "家明"})) == ["Gary General"]
    assert listed(admin_client.get(MEMBERS, {"q": number})) == ["Gary General"]
    assert listed(admin_client.get(MEMBERS, {"q": "clerk"})) == ["Gary General"]


@pytest.mark.django_db
def test_department_filter_includes_sub_departments(company: Company, admin_client: Client) -> None:
    finance = company.departments["finance"]
    assert listed(admin_client.get(MEMBERS, {"department": str(finance.pk)})) == [
        "Fiona Finance",
        "Gary General",
    ]
    accounts = company.departments["accounts"]
    assert listed(admin_client.get(MEMBERS, {"department": str(accounts.pk)})) == ["Gary General"]


@pytest.mark.django_db
def test_state_and_external_filters(company: Company, admin_client: Client) -> None:
    assert company.outsider is not None
    actions.suspend_member(company.system, company.outsider)
    actions.invite_member(
        company.system, actions.MemberSpec(email="ext@acme.com.hk", name="Eve External", is_external=True)
    )
    assert listed(admin_client.get(MEMBERS, {"state": "suspended"})) == ["Helen HR"]
    assert listed(admin_client.get(MEMBERS, {"external": "yes"})) == ["Eve External"]
    assert "Eve External" not in listed(admin_client.get(MEMBERS, {"external": "no"}))


@pytest.mark.django_db
def test_state_is_private_for_general_members(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.member is not None
    response = as_member(company.member).get(MEMBERS)
    assert b'name="state"' not in response.content
    assert b'class="badge active"' not in response.content


@pytest.mark.django_db
def test_unknown_department_filter_shows_an_error(admin_client: Client) -> None:
    response = admin_client.get(MEMBERS, {"department": "not-a-department"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


@pytest.mark.django_db
def test_htmx_search_returns_only_the_results_partial(admin_client: Client) -> None:
    response = admin_client.get(MEMBERS, {"q": "gary"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="member-results"' not in response.content
    assert listed(response) == ["Gary General"]
    assert "HX-Request" in response["Vary"]
    full = admin_client.get(MEMBERS, {"q": "gary"})
    assert b"<html" in full.content and b'hx-trigger="input changed delay:300ms, search"' in full.content


@pytest.mark.django_db
def test_history_restore_gets_the_whole_page(admin_client: Client) -> None:
    response = admin_client.get(MEMBERS, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert b"<html" in response.content


@pytest.mark.django_db
def test_list_pages_with_next_and_first_links(company: Company, admin_client: Client) -> None:
    add_members(company, 55, company.departments["hr"])
    first = admin_client.get(MEMBERS, {"q": "zed"})
    names = listed(first)
    assert len(names) == 50 and names[0] == "Zed 000"
    html = first.content.decode()
    assert "First page" not in html
    next_href = re.search(r'href="([^"]+)" rel="next"', html)
    assert next_href is not None
    second = admin_client.get(MEMBERS + next_href.group(1).replace("&amp;", "&"))
    assert listed(second) == [f"Zed {i:03d}" for i in range(50, 55)]
    assert b"First page" in second.content and b'rel="next"' not in second.content
    assert b"q=zed" in second.content  # the filters survive paging


@pytest.mark.django_db
def test_damaged_cursor_starts_from_the_first_page(admin_client: Client) -> None:
    response = admin_client.get(MEMBERS, {"cursor": "garbage!"})
    assert response.status_code == 200
    assert listed(response)[0] == "Ada Admin"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "manager"])
def test_member_list_query_count_does_not_grow_with_rows(
    company: Company, as_member: Callable[[Member], Client], who: str
) -> None:
    client = as_member(getattr(company, who))
    finance = company.departments["finance"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(MEMBERS)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add_members(company, 5, finance, prefix="Few")
    client.get(MEMBERS)  # the first request of a session also stores the chosen company
    few = queries()
    add_members(company, 35, finance, prefix="Many")
    many = queries()
    assert len(listed(client.get(MEMBERS))) >= 40
    assert many == few
    assert few <= 14  # the sign-in gate reads the listed session and the security settings


# --------------------------------------------------------------------------------------------- invite
def invite_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": "new.person@acme.com.hk",
        "name": "Nina New",
        "name_zh": "吳妮娜",
        "mobile": "9123 4567",
        "employee_number": "E77777",
        "title": "Analyst",
        "departments": [],
        "manager": "",
        "hire_date": "2026-12-01",
        "access_expires_on": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_invite_creates_an_invited_member_and_shows_the_link_once(
    company: Company, admin_client: Client
) -> None:
    finance = company.departments["finance"]
    assert company.manager is not None
    response = admin_client.post(
        INVITE, invite_form(departments=[str(finance.pk)], manager="fiona@acme.com.hk")
    )
    assert response.status_code == 302
    member = Member.objects.for_tenant(company.tenant).get(email="new.person@acme.com.hk")
    assert response["Location"] == reverse("directory:member", args=[member.pk])
    assert member.state == MemberState.INVITED
    assert member.mobile == "+85291234567"
    assert member.manager_id == company.manager.pk
    assert member.hire_date.isoformat() == "2026-12-01"  # type: ignore[union-attr]
    assert list(member.departments.all()) == [finance]
    assert Invitation.objects.for_tenant(company.tenant).filter(member=member).count() == 1

    page = admin_client.get(response["Location"])
    assert b"Invitation link" in page.content and b"/invite/" in page.content
    again = admin_client.get(response["Location"])
    assert b"/invite/" not in again.content


@pytest.mark.django_db
def test_invite_of_external_collaborator_keeps_the_end_date(company: Company, admin_client: Client) -> None:
    import datetime as dt

    from harbour.core.time import HONG_KONG, today_in_hong_kong

    ends = (today_in_hong_kong() + dt.timedelta(days=5)).isoformat()
    too_late = (today_in_hong_kong() + dt.timedelta(days=30)).isoformat()
    refused = admin_client.post(INVITE, invite_form(is_external="on", access_expires_on=too_late))
    assert refused.status_code == 400 and b"at most 7 days" in refused.content  # the company's longest term
    response = admin_client.post(INVITE, invite_form(is_external="on", access_expires_on=ends))
    assert response.status_code == 302
    member = Member.objects.for_tenant(company.tenant).get(email="new.person@acme.com.hk")
    assert member.is_external
    assert member.access_expires_at is not None
    assert member.access_expires_at.astimezone(HONG_KONG).date().isoformat() == ends


@pytest.mark.django_db
def test_mobile_left_at_the_plus_852_prefix_counts_as_empty(company: Company, admin_client: Client) -> None:
    assert admin_client.post(INVITE, invite_form(mobile="+852 ")).status_code == 302
    assert Member.objects.for_tenant(company.tenant).get(email="new.person@acme.com.hk").mobile == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "someone@gmail.com"}, "email", "only addresses of the company"),
        ({"email": "gary@acme.com.hk"}, "email", "already has a work account"),
        ({"mobile": "12"}, "mobile", "is not a valid phone number"),
        ({"name": ""}, "name", "This field is required"),
        ({"manager": "nobody@acme.com.hk"}, "manager", "No member with this email"),
        (
            {"access_expires_on": "2001-01-01", "is_external": "on"},
            "access_expires_on",
            "access must end in the future",
        ),
    ],
)
def test_invalid_invite_shows_the_error_next_to_the_field_and_changes_nothing(
    company: Company, admin_client: Client, overrides: dict[str, object], field: str, message: str
) -> None:
    before = (
        member_count(company),
        Membership.objects.for_tenant(company.tenant).count(),
        Invitation.objects.for_tenant(company.tenant).count(),
    )
    response = admin_client.post(
        INVITE, invite_form(departments=[str(company.departments["hr"].pk)], **overrides)
    )
    assert response.status_code == 400
    html = response.content.decode()
    # the message sits inside the field's own block, right after its control
    block = re.search(rf'<div class="field has-error[^"]*">\s*<label for="id_{field}".*?</div>', html, re.S)
    assert block is not None, html
    assert message in block.group(0).replace("&#x27;", "'")
    after = (
        member_count(company),
        Membership.objects.for_tenant(company.tenant).count(),
        Invitation.objects.for_tenant(company.tenant).count(),
    )
    assert after == before


@pytest.mark.django_db
def test_manager_invites_only_into_their_subtree(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.manager is not None
    client = as_member(company.manager)
    page = client.get(INVITE).content.decode()
    assert str(company.departments["accounts"].pk) in page
    assert str(company.departments["hr"].pk) not in page
    refused = client.post(INVITE, invite_form(departments=[str(company.departments["hr"].pk)]))
    assert refused.status_code == 400
    missing = client.post(INVITE, invite_form())  # a manager must choose a department
    assert missing.status_code == 400
    assert member_count(company) == 4
    ok = client.post(INVITE, invite_form(departments=[str(company.departments["accounts"].pk)]))
    assert ok.status_code == 302
    assert member_count(company) == 5


@pytest.mark.django_db
def test_general_member_cannot_invite(company: Company, as_member: Callable[[Member], Client]) -> None:
    assert company.member is not None
    assert as_member(company.member).post(INVITE, invite_form()).status_code == 404
    assert member_count(company) == 4


# ----------------------------------------------------------------------------------------------- edit
@pytest.mark.django_db
def test_edit_member_saves_changes(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    url = reverse("directory:member_edit", args=[gary.pk])
    form = admin_client.get(url)
    assert b'value="gary@acme.com.hk"' in form.content
    hr = company.departments["hr"]
    response = admin_client.post(
        url,
        invite_form(
            email="gary@acme.com.hk",
            name="Gary General",
            employee_number=gary.employee_number,
            title="Senior Clerk",
            departments=[str(hr.pk)],
            name_zh="",
            mobile="",
            hire_date="",
        ),
    )
    assert response.status_code == 302
    gary.refresh_from_db()
    assert gary.title == "Senior Clerk"
    assert list(gary.departments.all()) == [hr]


@pytest.mark.django_db
def test_edit_with_a_taken_email_changes_nothing(company: Company, admin_client: Client) -> None:
    gary = company.member
    assert gary is not None
    url = reverse("directory:member_edit", args=[gary.pk])
    response = admin_client.post(
        url,
        invite_form(
            email="helen@acme.com.hk",
            name="Gary G",
            title="Boss",
            employee_number=gary.employee_number,
            departments=[str(company.departments["accounts"].pk)],
        ),
    )
    assert response.status_code == 400
    assert b"already has a work account" in response.content
    gary.refresh_from_db()
    assert (gary.email, gary.name, gary.title) == ("gary@acme.com.hk", "Gary General", "")


@pytest.mark.django_db
def test_manager_cannot_edit_outside_their_subtree(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    assert company.manager is not None and company.outsider is not None
    url = reverse("directory:member_edit", args=[company.outsider.pk])
    assert as_member(company.manager).post(url, invite_form(name="Hacked")).status_code == 404
    company.outsider.refresh_from_db()
    assert company.outsider.name == "Helen HR"
