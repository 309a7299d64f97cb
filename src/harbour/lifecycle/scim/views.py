"""The HTTP endpoints of ``/scim/v2``: no session and no CSRF token — the bearer token is the credential and
names the company. Every answer is ``application/scim+json``, refusals included (SCIM Error resources,
never an HTML page); every write runs in one transaction, so a refused request changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import orjson
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from harbour.core.databases import tenant_transaction
from harbour.core.errors import HarbourError
from harbour.lifecycle.scim import discovery, groups, users
from harbour.lifecycle.scim.errors import (
    ScimError,
    from_harbour,
    invalid_syntax,
    invalid_value,
    not_found,
    uniqueness,
)
from harbour.lifecycle.scim.projection import Projection
from harbour.lifecycle.scim.reports import Change, record_run
from harbour.lifecycle.scim.tokens import Caller, caller_for, scim_base_url

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/scim+json"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
MAX_BODY = 1024 * 1024
DEFAULT_COUNT = 100

View = Callable[..., HttpResponse]


def respond(
    status: int, body: Any = None, *, etag: str | None = None, location: str | None = None
) -> HttpResponse:
    response = HttpResponse(
        b"" if body is None else orjson.dumps(body), status=status, content_type=CONTENT_TYPE
    )
    if body is None:
        del response["Content-Type"]
    if etag:
        response["ETag"] = etag
    if location:
        response["Location"] = location
    return response


def error(exc: ScimError) -> HttpResponse:
    response = respond(exc.status, exc.body())
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def endpoint(*methods: str) -> Callable[[View], View]:
    """Authenticate, check the method, run writes in one transaction, and answer every refusal as SCIM."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def run(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                caller = caller_for(request.headers.get("Authorization", ""))
                if caller is None:
                    raise ScimError(401, _("a valid SCIM bearer token is needed (Authorization: Bearer …)"))
                if request.method not in methods:
                    response = error(
                        ScimError(405, _("%(method)s is not allowed here") % {"method": request.method})
                    )
                    response["Allow"] = ", ".join(methods)
                    return response
                if request.method in WRITES:
                    with tenant_transaction(caller.tenant_id):
                        return view(request, caller, **kwargs)
                return view(request, caller, **kwargs)
            except ScimError as exc:
                return error(exc)
            except HarbourError as exc:
                return error(from_harbour(exc))
            except IntegrityError:  # a concurrent request took the same address, number or id first
                return error(
                    uniqueness(_("another request changed the same account at the same time; retry"))
                )
            except Exception:
                logger.exception("SCIM request failed: %s %s", request.method, request.path)
                return error(ScimError(500, _("the request failed inside Harbour; nothing was changed")))

        return run

    return wrap


def body_of(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise ScimError(413, _("the body is larger than %(kb)d KB") % {"kb": MAX_BODY // 1024}, "tooLarge")
    try:
        return orjson.loads(request.body)
    except orjson.JSONDecodeError:
        raise invalid_syntax(_("the body is not JSON")) from None


def _integer(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_value(_("%(name)s is a whole number") % {"name": name}) from None


def paging(request: HttpRequest) -> tuple[int, int]:
    """startIndex is 1-based (below 1 counts as 1); count is at most the advertised maximum."""
    start = max(1, _integer(request, "startIndex", 1))
    count = min(max(0, _integer(request, "count", DEFAULT_COUNT)), discovery.MAX_RESULTS)
    return start, count


def list_response(total: int, start: int, resources: list[dict[str, Any]]) -> HttpResponse:
    return respond(
        200,
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": resources,
        },
    )


def projection_of(request: HttpRequest) -> Projection:
    return Projection.parse(request.GET.get("attributes"), request.GET.get("excludedAttributes"))


def check_version(request: HttpRequest, version: str) -> None:
    """``If-Match`` on a write: the resource must still be the version the client read."""
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() != "*" and version not in [v.strip() for v in wanted.split(",")]:
        raise ScimError(
            412, _("the resource changed since it was read (If-Match does not match its version)")
        )


def _title(changes: list[Change]) -> str:
    more = f" (+{len(changes) - 1})" if len(changes) > 1 else ""
    return changes[0].label + more if changes else ""


# ------------------------------------------------------------------------------------------- discovery
@endpoint("GET")
def service_provider_config(request: HttpRequest, caller: Caller) -> HttpResponse:
    return respond(200, discovery.service_provider_config(scim_base_url()))


@endpoint("GET")
def resource_types(request: HttpRequest, caller: Caller) -> HttpResponse:
    found = discovery.resource_types(scim_base_url())
    return list_response(len(found), 1, found)


@endpoint("GET")
def resource_type(request: HttpRequest, caller: Caller, type_id: str) -> HttpResponse:
    found = next((t for t in discovery.resource_types(scim_base_url()) if t["id"] == type_id), None)
    if found is None:
        raise not_found(_("no resource type %(id)s") % {"id": type_id})
    return respond(200, found)


@endpoint("GET")
def schemas(request: HttpRequest, caller: Caller) -> HttpResponse:
    found = discovery.schemas(scim_base_url())
    return list_response(len(found), 1, found)


@endpoint("GET")
def schema(request: HttpRequest, caller: Caller, schema_id: str) -> HttpResponse:
    found = next(
        (s for s in discovery.schemas(scim_base_url()) if s["id"].lower() == schema_id.lower()), None
    )
    if found is None:
        raise not_found(_("no schema %(id)s") % {"id": schema_id})
    return respond(200, found)


# ----------------------------------------------------------------------------------------------- users
@endpoint("GET", "POST")
def user_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    base = scim_base_url()
    if request.method == "POST":
        member, link, changes = users.create_user(caller, body_of(request))
        record_run(caller, changes, title=_title(changes))
        doc = users.render_user(base, member, link)
        return respond(
            201,
            projection_of(request).apply(doc),
            etag=doc["meta"]["version"],
            location=doc["meta"]["location"],
        )
    projection = projection_of(request)
    start, count = paging(request)
    total, page = users.search_users(caller, request.GET.get("filter"), start, count)
    return list_response(
        total, start, [projection.apply(users.render_user(base, m, link)) for m, link in page]
    )


@endpoint("GET", "PUT", "PATCH", "DELETE")
def user_detail(request: HttpRequest, caller: Caller, user_id: str) -> HttpResponse:
    base = scim_base_url()
    member, link = users.get_user(caller, user_id)
    if request.method in WRITES:
        check_version(request, users.version_of(member))
    if request.method == "DELETE":
        changes = users.delete_user(caller, member, link)
        record_run(caller, changes, title=_title(changes))
        return respond(204)
    if request.method == "PUT":
        member, link, changes = users.replace_user(caller, member, link, body_of(request))
        record_run(caller, changes, title=_title(changes))
    elif request.method == "PATCH":
        member, link, changes = users.patch_user(caller, member, link, body_of(request))
        record_run(caller, changes, title=_title(changes))
    doc = users.render_user(base, member, link)
    return respond(200, projection_of(request).apply(doc), etag=doc["meta"]["version"])


# ---------------------------------------------------------------------------------------------- groups
@endpoint("GET", "POST")
def group_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    base = scim_base_url()
    projection = projection_of(request)
    if request.method == "POST":
        department, changes = groups.create_group(caller, body_of(request))
        record_run(caller, changes, title=_title(changes))
        doc = groups.render_page(base, caller.tenant_id, [department], projection.includes("members"))[0]
        return respond(
            201, projection.apply(doc), etag=doc["meta"]["version"], location=doc["meta"]["location"]
        )
    start, count = paging(request)
    total, page = groups.search_groups(caller, request.GET.get("filter"), start, count)
    docs = groups.render_page(base, caller.tenant_id, page, projection.includes("members"))
    return list_response(total, start, [projection.apply(doc) for doc in docs])


@endpoint("GET", "PUT", "PATCH", "DELETE")
def group_detail(request: HttpRequest, caller: Caller, group_id: str) -> HttpResponse:
    base = scim_base_url()
    department = groups.get_group(caller, group_id)
    if request.method in WRITES:
        check_version(request, groups.version_of(department))
    if request.method == "DELETE":
        changes = groups.delete_group(caller, department)
        record_run(caller, changes, title=_title(changes))
        return respond(204)
    if request.method in ("PUT", "PATCH"):
        write = groups.replace_group if request.method == "PUT" else groups.patch_group
        changes = write(caller, department, body_of(request))
        record_run(caller, changes, title=_title(changes))
        if request.method == "PATCH":
            return respond(204)
        department.refresh_from_db()
    projection = projection_of(request)
    doc = groups.render_page(base, caller.tenant_id, [department], projection.includes("members"))[0]
    return respond(200, projection.apply(doc), etag=doc["meta"]["version"])


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, caller: Caller) -> HttpResponse:
    raise not_found(_("no SCIM endpoint %(path)s") % {"path": request.path})
