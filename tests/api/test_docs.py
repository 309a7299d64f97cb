"""The OpenAPI description and its viewer are served and list every route."""

from __future__ import annotations

import json

from django.test import Client

from tests.api.test_permission_matrix import MATRIX


def test_docs_page_renders(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_openapi_lists_every_route_with_bearer_auth(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    documented = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert documented == {(row.method, row.template) for row in MATRIX}
    assert "PersonalToken" in schema["components"]["securitySchemes"]
