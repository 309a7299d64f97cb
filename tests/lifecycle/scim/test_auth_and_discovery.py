"""The SCIM authentication matrix (``/scim/v2`` is not in the OpenAPI document, so it has its own): every
route refuses a missing, wrong, revoked or malformed token with 401 and a WWW-Authenticate header; another
company's token never reaches this company's users or groups; refusals are SCIM errors, never HTML. And
the discovery endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from scim2_models import Context, ResourceType, Schema, ServiceProviderConfig

from harbour.directory.models import Member
from harbour.lifecycle.models import ScimToken
from harbour.lifecycle.scim.tokens import mint_scim_token, revoke_scim_token
from tests.factories import Company
from tests.lifecycle.scim.conftest import CORE_GROUP, CORE_USER, ENTERPRISE, ScimClient, assert_scim_error


def _empty_department(c: Company) -> Any:
    from harbour.directory import actions
    from harbour.directory.models import Department

    found = Department.objects.for_tenant(c.tenant).filter(name="Empty Team").first()
    return found or actions.create_department(c.system, name="Empty Team")


# (method, path built from the company, body): every SCIM route.
ROUTES: list[tuple[str, Callable[[Company], str], Any]] = [
    ("GET", lambda c: "/ServiceProviderConfig", None),
    ("GET", lambda c: "/ResourceTypes", None),
    ("GET", lambda c: "/ResourceTypes/User", None),
    ("GET", lambda c: "/Schemas", None),
    ("GET", lambda c: f"/Schemas/{CORE_USER}", None),
    ("GET", lambda c: "/Users", None),
    ("POST", lambda c: "/Users", {"userName": "new.joiner@acme.com.hk", "displayName": "New Joiner"}),
    ("GET", lambda c: f"/Users/{c.member.pk}", None),  # type: ignore[union-attr]
    ("PUT", lambda c: f"/Users/{c.member.pk}", {"userName": "gary@acme.com.hk", "title": "Clerk"}),  # type: ignore[union-attr]
    ("PATCH", lambda c: f"/Users/{c.member.pk}", None),  # type: ignore[union-attr]
    ("DELETE", lambda c: f"/Users/{c.outsider.pk}", None),  # type: ignore[union-attr]
    ("GET", lambda c: "/Groups", None),
    ("POST", lambda c: "/Groups", {"displayName": "Matrix Team"}),
    ("GET", lambda c: f"/Groups/{c.departments['hr'].pk}", None),
    ("PUT", lambda c: f"/Groups/{c.departments['hr'].pk}", {"displayName": "People"}),
    ("PATCH", lambda c: f"/Groups/{c.departments['hr'].pk}", None),
    ("DELETE", lambda c: f"/Groups/{_empty_department(c).pk}", None),
]
TITLE_PATCH = {
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{"op": "replace", "path": "title", "value": "Matrix"}],
}
NAME_PATCH = {
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{"op": "replace", "path": "displayName", "value": "People Team"}],
}


def _body(method: str, path: str, body: Any) -> Any:
    if method == "PATCH":
        return TITLE_PATCH if "/Users/" in path else NAME_PATCH
    return body


def _call(client: ScimClient, company: Company, route: tuple[str, Callable[[Company], str], Any]) -> Any:
    method, path_of, body = route
    path = path_of(company)
    return client.call(method, path, _body(method, path, body))


def _snapshot(company: Company) -> list[tuple[str, str, str]]:
    return sorted(Member.objects.for_tenant(company.tenant).values_list("email", "state", "title"))


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {i}" for i, (m, _p, _b) in enumerate(ROUTES)])
def test_scim_auth_matrix(company: Company, other_company: Company, scim: ScimClient, route: Any) -> None:
    before = _snapshot(company)
    for token in (None, "", "hscim_not-a-real-token", "Basic dXNlcjpwYXNz"):
        client = ScimClient(None)
        headers = (
            {}
            if token is None
            else {"HTTP_AUTHORIZATION": token if token.startswith("Basic") else f"Bearer {token}"}
        )
        method, path_of, body = route
        path = path_of(company)
        response = client.call(method, path, _body(method, path, body), **headers)
        assert_scim_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    revoked, text = mint_scim_token(company.admin, name="Old")
    revoke_scim_token(company.admin, revoked)
    assert_scim_error(_call(ScimClient(text), company, route), 401)

    # Another company's token: that company's view, where this company's objects do not exist.
    _other, foreign = mint_scim_token(other_company.admin, name="Globex IdP")
    answer = _call(ScimClient(foreign), company, route)
    method, path_of, _ = route
    if "/Users/" in path_of(company) or "/Groups/" in path_of(company):
        assert_scim_error(answer, 404)
    elif method == "GET" and path_of(company) in ("/Users", "/Groups"):
        ids = {r["id"] for r in answer.doc["Resources"]}
        assert str(company.member.pk) not in ids and str(company.departments["hr"].pk) not in ids  # type: ignore[union-attr]
    assert _snapshot(company) == before  # nothing here changed

    allowed = _call(scim, company, route)
    assert allowed.status_code in (200, 201, 204), (route, allowed.content)


def test_the_token_scopes_every_read_to_its_company(company: Company, other_company: Company) -> None:
    _token, text = mint_scim_token(other_company.admin, name="Globex IdP")
    globex = ScimClient(text)
    users = globex.get("/Users").doc
    assert {r["userName"].split("@")[1] for r in users["Resources"]} == {"globex.com.hk"}
    found = globex.get('/Users?filter=userName eq "gary@acme.com.hk"').doc
    assert found["totalResults"] == 0
    assert not any(
        g["id"] == str(company.departments["hr"].pk) for g in globex.get("/Groups").doc["Resources"]
    )


def test_the_token_is_marked_used(company: Company, scim: ScimClient) -> None:
    token = ScimToken.objects.for_tenant(company.tenant).get(name="Entra ID")
    assert token.last_used_at is None
    scim.get("/ServiceProviderConfig")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_refusals_are_scim_errors_never_html(scim: ScimClient, company: Company) -> None:
    assert_scim_error(scim.get("/Nope"), 404)
    assert_scim_error(scim.get("/Users/not-an-id"), 404)
    assert_scim_error(scim.get("/Groups/00000000-0000-0000-0000-000000000000"), 404)
    assert_scim_error(scim.get("/ResourceTypes/Device"), 404)
    assert_scim_error(scim.get("/Schemas/urn:example:nothing"), 404)
    wrong = scim.call("PUT", "/Users", {})
    assert_scim_error(wrong, 405)
    assert wrong["Allow"] == "GET, POST"
    assert_scim_error(scim.call("DELETE", "/ServiceProviderConfig"), 405)


def test_discovery(scim: ScimClient) -> None:
    response = Context.RESOURCE_QUERY_RESPONSE
    config = scim.get("/ServiceProviderConfig")
    assert config.status_code == 200 and config["Content-Type"] == "application/scim+json"
    parsed = ServiceProviderConfig.model_validate(config.doc, scim_ctx=response)
    assert parsed.patch.supported and parsed.filter.supported and parsed.filter.max_results == 200
    assert not parsed.bulk.supported and parsed.etag.supported
    assert config.doc["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = scim.get("/ResourceTypes").doc
    assert types["totalResults"] == 2
    user_type = ResourceType.model_validate(scim.get("/ResourceTypes/User").doc, scim_ctx=response)
    assert user_type.endpoint == "/Users" and user_type.schema_ == CORE_USER
    assert [e.schema_ for e in user_type.schema_extensions] == [ENTERPRISE]
    assert (
        ResourceType.model_validate(scim.get("/ResourceTypes/Group").doc, scim_ctx=response).endpoint
        == "/Groups"
    )

    schemas = scim.get("/Schemas").doc
    assert sorted(s["id"] for s in schemas["Resources"]) == sorted([CORE_USER, ENTERPRISE, CORE_GROUP])
    user = Schema.model_validate(scim.get(f"/Schemas/{CORE_USER}").doc, scim_ctx=response)
    names = [a.name for a in user.attributes]
    assert names == [
        "userName",
        "name",
        "displayName",
        "title",
        "active",
        "emails",
        "groups",
    ]  # what Harbour keeps
    enterprise = scim.get(f"/Schemas/{ENTERPRISE}").doc
    assert [a["name"] for a in enterprise["attributes"]] == ["employeeNumber", "department", "manager"]
    assert enterprise["meta"]["location"].endswith(f"/scim/v2/Schemas/{ENTERPRISE}")
