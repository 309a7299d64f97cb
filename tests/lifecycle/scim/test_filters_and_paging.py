"""Filters (eq, co, sw, pr, and, or, not) on the attributes Harbour answers for, refusals of anything else
as invalidFilter, index-based paging, attribute selection, and a list page whose cost does not grow with
its size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.lifecycle.scim.errors import ScimError
from harbour.lifecycle.scim.filters import (
    Compare,
    Logical,
    Not,
    Present,
    matches,
    parse_filter,
    parse_patch_path,
)
from tests.factories import Company
from tests.lifecycle.scim.conftest import ENTERPRISE, ScimClient, assert_scim_error, entra_user


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(r["userName"] for r in response.doc["Resources"])


@pytest.fixture
def people(company: Company, scim: ScimClient) -> dict[str, str]:
    made = {}
    for user_name, number in (
        ("ada.lovelace@acme.com.hk", "E-101"),
        ("alan.turing@acme.com.hk", "E-102"),
        ("grace.hopper@acme.com.hk", "X-103"),
    ):
        made[user_name] = scim.post(
            "/Users", entra_user(user_name, **{ENTERPRISE: {"employeeNumber": number}})
        ).doc["id"]
    return made


def test_users_filters(company: Company, scim: ScimClient, people: dict[str, str]) -> None:
    assert _names(scim.get('/Users?filter=userName eq "ALAN.TURING@acme.com.hk"')) == [
        "alan.turing@acme.com.hk"
    ]
    assert _names(scim.get('/Users?filter=userName sw "a"')) == [
        "ada.lovelace@acme.com.hk",
        "admin@acme.com.hk",
        "alan.turing@acme.com.hk",
    ]
    assert _names(scim.get('/Users?filter=displayName co "hop"')) == ["grace.hopper@acme.com.hk"]
    assert _names(scim.get('/Users?filter=emails.value eq "ada.lovelace@acme.com.hk"')) == [
        "ada.lovelace@acme.com.hk"
    ]
    assert _names(scim.get('/Users?filter=externalId eq "alanturing"')) == ["alan.turing@acme.com.hk"]
    assert _names(scim.get('/Users?filter=externalId eq "AlanTuring"')) == []  # externalId is case-exact
    assert _names(scim.get(f'/Users?filter={ENTERPRISE}:employeeNumber sw "E-1"')) == [
        "ada.lovelace@acme.com.hk",
        "alan.turing@acme.com.hk",
    ]
    assert _names(scim.get('/Users?filter=employeeNumber sw "E-1" and displayName co "alan"')) == [
        "alan.turing@acme.com.hk"
    ]
    assert _names(
        scim.get('/Users?filter=userName eq "ada.lovelace@acme.com.hk" or userName eq "gary@acme.com.hk"')
    ) == [
        "ada.lovelace@acme.com.hk",
        "gary@acme.com.hk",
    ]
    assert _names(scim.get('/Users?filter=externalId pr and not (userName sw "a")')) == [
        "grace.hopper@acme.com.hk"
    ]
    assert _names(scim.get(f'/Users?filter=id eq "{people["grace.hopper@acme.com.hk"]}"')) == [
        "grace.hopper@acme.com.hk"
    ]
    assert _names(scim.get('/Users?filter=id eq "not-an-id"')) == []


@pytest.mark.parametrize(
    "text",
    [
        'title eq "Analyst"',  # an attribute Harbour does not filter on
        'userName gt "a"',  # an operator it does not support on strings
        'userName eq "open',  # an unclosed string
        "userName eq ada@acme.com.hk",  # an unquoted value
        'userName eq "a" and',  # cut short
        'emails[type eq "work"] eq "x"',
        "(userName pr",
        "userName eq true",
    ],
)
def test_bad_filters_are_invalid_filter(scim: ScimClient, text: str) -> None:
    from urllib.parse import quote

    assert_scim_error(scim.get(f"/Users?filter={quote(text)}"), 400, "invalidFilter")
    assert scim.get("/Users?filter=").doc["totalResults"] == 4  # an empty filter is no filter


def test_groups_filters(company: Company, scim: ScimClient) -> None:
    scim.post("/Groups", {"displayName": "Engineering", "externalId": "grp-eng"})
    found = scim.get('/Groups?filter=displayName eq "finance"&excludedAttributes=members')
    assert [g["displayName"] for g in found.doc["Resources"]] == ["Finance"]
    assert [
        g["displayName"] for g in scim.get('/Groups?filter=externalId eq "grp-eng"').doc["Resources"]
    ] == ["Engineering"]
    assert sorted(
        g["displayName"]
        for g in scim.get('/Groups?filter=displayName sw "Acc" or displayName co "Resource"').doc["Resources"]
    ) == [
        "Accounts Payable",
        "Human Resources",
    ]
    assert_scim_error(scim.get('/Groups?filter=members eq "x"'), 400, "invalidFilter")


def test_paging_is_index_based_and_bounded(
    company: Company, scim: ScimClient, people: dict[str, str]
) -> None:
    everyone = scim.get("/Users").doc
    assert everyone["totalResults"] == 7 and everyone["itemsPerPage"] == 7 and everyone["startIndex"] == 1
    names = [r["displayName"] for r in everyone["Resources"]]
    assert names == sorted(names)
    page = scim.get("/Users?startIndex=3&count=2").doc
    assert page["startIndex"] == 3 and page["itemsPerPage"] == 2 and page["totalResults"] == 7
    assert [r["displayName"] for r in page["Resources"]] == names[2:4]
    counted = scim.get("/Users?count=0").doc
    assert counted["totalResults"] == 7 and counted["Resources"] == []
    beyond = scim.get("/Users?startIndex=50").doc
    assert beyond["totalResults"] == 7 and beyond["Resources"] == [] and beyond["startIndex"] == 50
    assert scim.get("/Users?startIndex=0&count=1").doc["startIndex"] == 1  # below 1 counts as 1
    assert scim.get("/Users?count=100000").doc["itemsPerPage"] == 7  # capped at maxResults (200)
    assert_scim_error(scim.get("/Users?count=many"), 400, "invalidValue")


def test_attributes_and_excluded_attributes(scim: ScimClient, people: dict[str, str]) -> None:
    user_id = people["ada.lovelace@acme.com.hk"]
    only = scim.get(f"/Users/{user_id}?attributes=userName,name.givenName,{ENTERPRISE}:employeeNumber").doc
    assert only == {
        "schemas": only["schemas"],
        "id": user_id,
        "userName": "ada.lovelace@acme.com.hk",
        "name": {"givenName": "Ada"},
        ENTERPRISE: {"employeeNumber": "E-101"},
    }
    without = scim.get(f"/Users/{user_id}?excludedAttributes=emails,name.givenName,meta").doc
    assert (
        "emails" not in without
        and "meta" not in without
        and without["name"]
        == {
            "formatted": "Ada Lovelace",
            "familyName": "Lovelace",
        }
    )
    assert without["id"] == user_id  # id is always returned


def test_a_page_of_50_users_costs_the_same_as_a_page_of_5(company: Company, scim: ScimClient) -> None:
    finance = company.departments["finance"]
    from harbour.directory import actions

    specs = [
        actions.MemberSpec(
            email=f"person{i:02d}@acme.com.hk",
            name=f"Person {i:02d}",
            departments=[finance],
            manager=company.manager,
            employee_number=f"P-{i:02d}",
        )
        for i in range(60)
    ]
    actions.bulk_create_members(company.system, specs)
    for user_name in ("person01@acme.com.hk", "person02@acme.com.hk"):  # some carry SCIM links
        user_id = scim.get(f'/Users?filter=userName eq "{user_name}"').doc["Resources"][0]["id"]
        scim.patch(f"/Users/{user_id}", {"op": "Add", "path": "externalId", "value": user_name})

    def cost(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = scim.get(f'/Users?count={count}&filter=userName sw "person"')
        assert response.doc["itemsPerPage"] == count
        assert all(
            r[ENTERPRISE]["manager"]["displayName"] == "Fiona Finance" for r in response.doc["Resources"]
        )
        assert all(r[ENTERPRISE]["department"] == "Finance" for r in response.doc["Resources"])
        assert sum("externalId" in r for r in response.doc["Resources"]) == 2
        return len(captured)

    small, large = cost(5), cost(50)
    assert large == small and large <= 6, (small, large)


def test_filter_and_path_parsing() -> None:
    node = parse_filter('userName eq "a\\"b" and (title pr or not (emails.value co "x"))')
    assert isinstance(node, Logical) and node.op == "and"
    assert isinstance(node.left, Compare) and node.left.value == 'a"b'
    assert isinstance(node.right, Logical) and isinstance(node.right.left, Present)
    assert isinstance(node.right.right, Not)
    path = parse_patch_path('emails[type eq "work" and primary eq true].value')
    assert (path.name, path.sub) == ("emails", "value") and path.where is not None
    assert matches(path.where, {"type": "Work", "primary": True, "value": "x"})
    assert not matches(path.where, {"type": "home", "primary": True})
    ext = parse_patch_path(f"{ENTERPRISE}:manager.value")
    assert (ext.schema, ext.name, ext.sub) == (ENTERPRISE.lower(), "manager", "value")
    with pytest.raises(ScimError) as bad:
        parse_patch_path('members[value eq "x"')
    assert bad.value.scim_type == "invalidPath"


def test_a_page_of_groups_with_their_members_costs_a_fixed_number_of_queries(
    company: Company, scim: ScimClient
) -> None:
    from harbour.directory import actions

    teams = [actions.create_department(company.system, name=f"Team {i:02d}") for i in range(30)]
    actions.bulk_create_members(
        company.system,
        [
            actions.MemberSpec(
                email=f"crew{i:02d}@acme.com.hk", name=f"Crew {i:02d}", departments=[teams[i % 30]]
            )
            for i in range(60)
        ],
    )

    def cost(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = scim.get(f'/Groups?count={count}&filter=displayName sw "Team"').doc
        assert page["itemsPerPage"] == count and all(len(g["members"]) == 2 for g in page["Resources"])
        return len(captured)

    scim.get("/ServiceProviderConfig")  # the token's first use is written once
    assert cost(5) == cost(30)
