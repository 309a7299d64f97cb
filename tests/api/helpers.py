"""Calling the REST API the way a client does: a personal bearer token and JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.permissions import Actor, can
from harbour.directory.models import Department, Member, Membership, Role, RoleGrant
from harbour.identity.tokens import create_api_token

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


class ApiClient:
    """A JSON client for ``/api/v1`` acting as one member (or nobody, for ``anonymous()``)."""

    def __init__(self, token: str | None = None) -> None:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        self.token = token
        self.client = Client(**headers)

    def request(self, method: str, path: str, body: Any = None, **query: Any) -> HttpResponse:
        url = path if path.startswith(API) else API + path
        method = method.lower()
        if method == "get":
            params = {k: v for k, v in query.items() if v is not None}
            return self.client.get(url, params)
        if query:
            from urllib.parse import urlencode

            url = f"{url}?{urlencode(query)}"
        call = getattr(self.client, method)
        if isinstance(body, dict) and any(hasattr(v, "read") for v in body.values()):
            return call(url, data=body)  # multipart: a file upload
        if body is None:  # no body at all, as `curl -X POST` sends
            return call(url, data="", content_type="application/json")
        return call(url, data=json.dumps(body, default=str), content_type="application/json")

    def get(self, path: str, **query: Any) -> HttpResponse:
        return self.request("get", path, **query)

    def post(self, path: str, body: Any = None, **query: Any) -> HttpResponse:
        return self.request("post", path, body, **query)

    def patch(self, path: str, body: Any = None) -> HttpResponse:
        return self.request("patch", path, body)

    def delete(self, path: str, **query: Any) -> HttpResponse:
        return self.request("delete", path, **query)


def issue_token(member: Member, *, issued_by: Actor | None = None, days: int = 30) -> str:
    """A live personal token for ``member``. Members who may not mint tokens themselves get one issued
    by ``issued_by`` (e.g. the company's system actor)."""
    actor: Actor = issued_by if issued_by is not None else member
    _, text = create_api_token(actor, member, name="tests", days=days)
    return text


def api_as(member: Member, *, issued_by: Actor | None = None) -> ApiClient:
    if issued_by is None and not can(member, "apitoken.manage", member):
        raise AssertionError(f"{member} may not mint a token: pass issued_by=company.system")
    return ApiClient(issue_token(member, issued_by=issued_by))


def anonymous() -> ApiClient:
    return ApiClient()


def body(response: HttpResponse) -> Any:
    return json.loads(response.content)


def assert_problem(response: HttpResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """A problem+json refusal with ``status`` naming ``field`` (when given)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM_JSON), response["Content-Type"]
    problem = body(response)
    assert problem["status"] == status
    assert problem["detail"]
    if field is not None:
        assert problem.get("field") == field, problem
    return problem


def row_counts() -> dict[str, int]:
    """Rows of every table a directory write touches, across all tenants."""
    return {
        "member": Member.objects.across_tenants().count(),
        "department": Department.objects.across_tenants().count(),
        "membership": Membership.objects.across_tenants().count(),
        "role": Role.objects.across_tenants().count(),
        "grant": RoleGrant.objects.across_tenants().count(),
        "audit": AuditEvent.objects.across_tenants().count(),
    }


def ids_in(data: Any) -> set[str]:
    """Every string value of a JSON document (ids, names …), to look for leaks."""
    found: set[str] = set()
    if isinstance(data, dict):
        for value in data.values():
            found |= ids_in(value)
    elif isinstance(data, list):
        for value in data:
            found |= ids_in(value)
    elif isinstance(data, str):
        found.add(data)
    return found
