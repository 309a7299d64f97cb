"""The one place domain errors become HTTP problem+json (RFC 9457)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from harbour.core.errors import HarbourError

PROBLEM_TYPE_BASE = "https://harbour.invalid/problems/"


def problem_body(
    status: int, title: str, detail: str, *, slug: str, field: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if field:
        body["field"] = field
    body.update(extra)
    return body


def problem_response(
    status: int, title: str, detail: str, *, slug: str, field: str | None = None, **extra: Any
) -> HttpResponse:
    body = problem_body(status, title, detail, slug=slug, field=field, **extra)
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def from_error(error: HarbourError) -> HttpResponse:
    return problem_response(error.status, str(error.title), error.message, slug=error.slug, field=error.field)
