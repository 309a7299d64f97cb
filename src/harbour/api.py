"""The REST API v1 root: app routers, authentication and error mapping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import BaseRenderer

from harbour.core.errors import HarbourError
from harbour.core.problems import from_error, problem_response
from harbour.identity.api_auth import AUTH


class FastJSONRenderer(BaseRenderer):
    """JSON bodies through orjson, which encodes UUIDs, dates and pydantic output natively: on a page of
    500 members the standard encoder's per-value fallback cost more than the database queries."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS, default=_encode_other)


def _encode_other(value: Any) -> Any:
    """Money (``Decimal``) travels as a string, so no cent is lost to binary floating point."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


api = NinjaAPI(
    renderer=FastJSONRenderer(),
    title="Harbour API",
    version="1",
    description="Work accounts, organisation and governance for Hong Kong companies.",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(HarbourError)
def _domain_error(request: HttpRequest, exc: HarbourError) -> HttpResponse:
    return from_error(exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "payload")]
    field = ".".join(loc) or None
    detail = first.get("msg", _("invalid input"))
    return problem_response(
        422,
        _("Invalid input"),
        _("%(field)s: %(detail)s") % {"field": field, "detail": detail} if field else detail,
        slug="invalid",
        field=field,
        errors=[
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
            for e in exc.errors
        ],
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        401,
        _("Authentication required"),
        _("send a personal API token as 'Authorization: Bearer …' or sign in"),
        slug="not-authenticated",
    )
    response["WWW-Authenticate"] = 'Bearer realm="harbour"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, _("Not found"), _("no such object"), slug="not-found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, _("Error"), str(exc), slug="error")


def _mount() -> None:
    from harbour.announcements.api import router as announcements_router
    from harbour.collaborators.api import router as collaborators_router
    from harbour.compliance.api import router as compliance_router
    from harbour.data_requests.api import router as data_requests_router
    from harbour.directory.api import router as directory_router
    from harbour.identity.api import router as identity_router
    from harbour.identity.factor_api import router as factor_router
    from harbour.identity.self_report_api import router as self_report_router
    from harbour.identity.sso.api import router as sso_router
    from harbour.integrations.dingtalk.api import router as dingtalk_router
    from harbour.jobs.api import router as jobs_router
    from harbour.lifecycle.api import router as lifecycle_router
    from harbour.oplog.api import router as oplog_router
    from harbour.pdpo.api import router as pdpo_router
    from harbour.plans.api import router as plans_router
    from harbour.policies.api import router as policies_router
    from harbour.procurement.api import router as procurement_router
    from harbour.retention.api import router as retention_router
    from harbour.reviews.api import router as reviews_router
    from harbour.security.api import router as security_router
    from harbour.security.incident_api import router as incident_router
    from harbour.security.notice_api import router as notice_router
    from harbour.training.api import router as training_router

    api.add_router("/", directory_router)
    api.add_router("/", identity_router)
    api.add_router("/", sso_router)
    api.add_router("/", factor_router)
    api.add_router("/", oplog_router)
    api.add_router("/", plans_router)
    api.add_router("/", procurement_router)
    api.add_router("/", jobs_router)
    api.add_router("/", lifecycle_router)
    api.add_router("/", collaborators_router)
    api.add_router("/", reviews_router)
    api.add_router("/", policies_router)
    api.add_router("/", training_router)
    api.add_router("/", announcements_router)
    api.add_router("/", pdpo_router)
    api.add_router("/", data_requests_router)
    api.add_router("/", retention_router)
    api.add_router("/", compliance_router)
    api.add_router("/", security_router)
    api.add_router("/", incident_router)
    api.add_router("/", notice_router)
    api.add_router("/", self_report_router)
    api.add_router("/", dingtalk_router)


_mount()
