"""A SCIM client speaking to ``/scim/v2`` the way an identity provider does (JSON bodies, a bearer token)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from harbour.lifecycle.scim.tokens import mint_scim_token
from tests.factories import Company

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimClient:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        if self.token is not None:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        data = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
        response = self.client.generic(
            method, f"/scim/v2{path}", data, content_type="application/scim+json", **headers
        )
        response.doc = json.loads(response.content) if response.content else None  # type: ignore[attr-defined]
        return response

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("POST", path, body, **headers)

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PUT", path, body, **headers)

    def patch(self, path: str, *operations: dict[str, Any], **headers: str) -> Any:
        return self.call("PATCH", path, {"schemas": [PATCH_OP], "Operations": list(operations)}, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.call("DELETE", path, **headers)


@pytest.fixture
def scim(company: Company) -> ScimClient:
    _token, text = mint_scim_token(company.admin, name="Entra ID")
    return ScimClient(text)


def assert_scim_error(response: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    doc = response.doc
    assert doc["schemas"] == [ERROR] and doc["status"] == str(status) and doc["detail"]
    if scim_type is not None:
        assert doc.get("scimType") == scim_type, doc
    return dict(doc)


def entra_user(user_name: str, **extra: Any) -> dict[str, Any]:
    """The body Entra ID's provisioning sends to create a user (its default attribute mappings)."""
    given, _dot, family = user_name.split("@")[0].partition(".")
    body: dict[str, Any] = {
        "schemas": [CORE_USER, ENTERPRISE],
        "externalId": f"{given}{family}",
        "userName": user_name,
        "active": True,
        "displayName": f"{given.title()} {family.title()}".strip(),
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {
            "formatted": f"{given.title()} {family.title()}".strip(),
            "familyName": family.title(),
            "givenName": given.title(),
        },
        "roles": [],
    }
    body.update(extra)
    return body
