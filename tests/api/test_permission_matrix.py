"""The permission matrix: every API route, called by anonymous, by members without the permission, by a
member of another company (with the first company's ids) and by a member holding the permission.

A new endpoint without a row here fails ``test_matrix_covers_every_route``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from harbour.api import api
from harbour.core.time import now, today_in_hong_kong
from harbour.jobs.models import Job
from tests.api.conftest import World
from tests.api.helpers import ApiClient, anonymous, assert_problem, body, ids_in, row_counts
from tests.jobs.helpers import failed_job


@dataclass(frozen=True)
class Call:
    path: str
    body: Any = None
    query: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One route. ``build`` makes a valid request for ``allowed`` using company A's ids.

    ``denied``: who in company A lacks the permission (each must get 403 or 404); empty when any
    member may call the route. ``other``: what company B's administrator gets for the same request:
    ``"404"`` (A's ids are not found) or ``"own"`` (the route names no id; B is answered about B, and
    nothing of A appears).
    """

    method: str
    template: str
    build: Callable[[World], Call]
    ok: int = 200
    allowed: str = "admin"
    denied: tuple[str, ...] = ("nobody",)
    other: str = "404"
    content_type: str = "application/json"

    @property
    def id(self) -> str:
        return f"{self.method} {self.template}"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _dept(w: World, key: str) -> str:
    return str(w.a.departments[key].id)


def _failed_job(w: World) -> str:
    """A failed run of company A that has not been retried (made by the worker on first use)."""
    waiting = Job.objects.filter(tenant=w.a.tenant, result__status="FAILED", retried_as__isnull=True).first()
    return str((waiting or failed_job(w.a.tenant)).pk)


def _incident(w: World, title: str, *, reported: bool = False) -> str:
    """An incident of company A named by ``title`` (made on first use, reported when asked)."""
    from harbour.security import incidents
    from harbour.security.models import Incident

    found = Incident.objects.for_tenant(w.a.tenant).filter(title=title).first()
    if found is None:
        found = incidents.open_incident(w.a.system, kind="other", severity="high", title=title)
        if reported:
            found = incidents.report_incident(w.a.system, found, summary="sent to compliance")
    return str(found.pk)


def _device(w: World) -> str:
    """A registered company device of company A's general member (the key itself is not needed here)."""
    from harbour.identity.models import DeviceCredential

    assert w.a.member is not None
    device = DeviceCredential.objects.for_tenant(w.a.tenant).filter(member=w.a.member).first()
    if device is None:
        device = DeviceCredential.objects.create(
            tenant=w.a.tenant,
            member=w.a.member,
            name="matrix",
            credential_id=_unique("cred"),
            public_key=b"-",
        )
    return str(device.pk)


def _sso_connection(w: World) -> str:
    """An OpenID Connect connection of company A (made on first use; its provider is never called here)."""
    from harbour.identity.models import SsoConnection
    from harbour.identity.sso.actions import create_connection

    existing = SsoConnection.objects.for_tenant(w.a.tenant).first()
    connection = existing or create_connection(
        w.a.system,
        name="Matrix IdP",
        protocol="oidc",
        values={"issuer": "https://idp.example.com", "client_id": "matrix", "client_secret": "s3cret"},
    )
    return str(connection.pk)


WRITERS = ("nobody", "member")  # a member with no role, and a General Member (view rights only)

MATRIX: list[Row] = [
    # --- identity: the caller themself and their tokens
    Row("GET", "/me", lambda w: Call("/me"), denied=(), other="own"),
    Row("PATCH", "/me", lambda w: Call("/me", {"name": "Renamed Person"}), other="own", denied=("nobody",)),
    Row("GET", "/tokens", lambda w: Call("/tokens"), denied=(), other="own"),
    Row("POST", "/tokens", lambda w: Call("/tokens", {"name": "ci", "days": 7}), ok=201, other="own"),
    Row(
        "DELETE", "/tokens/{token_id}", lambda w: Call(f"/tokens/{w.admin_token_id}"), ok=204, denied=WRITERS
    ),
    # --- second factors: the caller's authenticator, members' authenticators and company devices
    Row("GET", "/me/totp", lambda w: Call("/me/totp"), denied=(), other="own"),
    Row(
        "POST",
        "/members/{member_id}/totp/reset",
        lambda w: Call(f"/members/{w.a.member.id}/totp/reset", {"reason": "lost phone"}),  # type: ignore[union-attr]
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/members/{member_id}/devices",
        lambda w: Call(f"/members/{w.a.member.id}/devices"),  # type: ignore[union-attr]
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/members/{member_id}/device-enrolments",
        lambda w: Call(f"/members/{w.a.member.id}/device-enrolments", {"device_name": "HK-PC-1"}),  # type: ignore[union-attr]
        ok=201,
        denied=WRITERS,
    ),
    Row(
        "POST", "/devices/{device_id}/revoke", lambda w: Call(f"/devices/{_device(w)}/revoke"), denied=WRITERS
    ),
    # --- the company profile and operators' companies
    Row("GET", "/tenant", lambda w: Call("/tenant"), other="own"),
    Row(
        "PATCH",
        "/tenant",
        lambda w: Call("/tenant", {"registered_name": "Acme Trading Limited"}),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/tenants", lambda w: Call("/tenants"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/tenants",
        lambda w: Call("/tenants", {"slug": _unique("newco"), "display_name": "NewCo Ltd"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/tenants/{tenant_id}", lambda w: Call(f"/tenants/{w.a.tenant.id}"), denied=WRITERS),
    # --- departments
    Row("GET", "/departments", lambda w: Call("/departments", query={"parent_id": _dept(w, "finance")})),
    Row(
        "POST",
        "/departments",
        lambda w: Call("/departments", {"name": "Treasury", "parent_id": _dept(w, "finance")}),
        ok=201,
        denied=WRITERS,
    ),
    Row("GET", "/departments/{department_id}", lambda w: Call(f"/departments/{_dept(w, 'finance')}")),
    Row(
        "PATCH",
        "/departments/{department_id}",
        lambda w: Call(f"/departments/{_dept(w, 'finance')}", {"name": "Finance and Treasury"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/departments/{department_id}/move",
        lambda w: Call(f"/departments/{_dept(w, 'accounts')}/move", {"parent_id": None, "position": 0}),
        denied=WRITERS,
    ),
    Row(
        "DELETE",
        "/departments/{department_id}",
        lambda w: Call(f"/departments/{w.empty_department.id}"),
        ok=204,
        denied=WRITERS,
    ),
    # --- members
    Row("GET", "/members", lambda w: Call("/members", query={"department_id": _dept(w, "finance")})),
    Row(
        "POST",
        "/members",
        lambda w: Call(
            "/members",
            {
                "email": f"{_unique('new')}@acme.com.hk",
                "name": "New Person",
                "department_ids": [_dept(w, "hr")],
            },
        ),
        ok=201,
        denied=WRITERS,
    ),
    Row("GET", "/members/{member_id}", lambda w: Call(f"/members/{w.a.admin.id}")),  # type: ignore[union-attr]
    Row(
        "PATCH",
        "/members/{member_id}",
        lambda w: Call(f"/members/{w.a.outsider.id}", {"title": "Clerk"}),  # type: ignore[union-attr]
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/members/{member_id}/suspend",
        lambda w: Call(f"/members/{w.a.outsider.id}/suspend", {"reason": "investigation"}),
        denied=WRITERS,
    ),  # type: ignore[union-attr]
    Row(
        "POST",
        "/members/{member_id}/reactivate",
        lambda w: Call(f"/members/{w.suspended.id}/reactivate"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/members/{member_id}/deactivate",
        lambda w: Call(f"/members/{w.a.outsider.id}/deactivate", {"reason": "left"}),
        denied=WRITERS,
    ),  # type: ignore[union-attr]
    Row(
        "POST",
        "/members/{member_id}/resend-invitation",
        lambda w: Call(f"/members/{w.invited.id}/resend-invitation"),
        denied=WRITERS,
    ),
    # --- roles and grants
    Row("GET", "/roles", lambda w: Call("/roles"), other="own"),
    Row(
        "POST",
        "/roles",
        lambda w: Call("/roles", {"name": _unique("Reviewers"), "permissions": ["member.view"]}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/roles/{role_id}", lambda w: Call(f"/roles/{w.spare_role.id}")),
    Row(
        "PATCH",
        "/roles/{role_id}",
        lambda w: Call(f"/roles/{w.spare_role.id}", {"description": "Read the log"}),
        denied=WRITERS,
    ),
    Row("DELETE", "/roles/{role_id}", lambda w: Call(f"/roles/{w.spare_role.id}"), ok=204, denied=WRITERS),
    Row("GET", "/grants", lambda w: Call("/grants", query={"member_id": str(w.a.member.id)})),  # type: ignore[union-attr]
    Row(
        "POST",
        "/grants",
        lambda w: Call("/grants", {"member_id": str(w.a.outsider.id), "role_id": str(w.spare_role.id)}),  # type: ignore[union-attr]
        ok=201,
        denied=WRITERS,
    ),
    Row("DELETE", "/grants/{grant_id}", lambda w: Call(f"/grants/{w.grant.id}"), ok=204, denied=WRITERS),
    Row("GET", "/permissions", lambda w: Call("/permissions"), denied=(), other="own"),
    # --- the operation log
    Row(
        "GET",
        "/audit/events",
        lambda w: Call("/audit/events", query={"kind": "member."}),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/audit/events/export",
        lambda w: Call("/audit/events/export", query={"format": "jsonl"}),
        denied=WRITERS,
        other="own",
        content_type="application/x-ndjson",
    ),
    Row("POST", "/audit/verify", lambda w: Call("/audit/verify"), denied=WRITERS, other="own"),
    Row("GET", "/audit/policy", lambda w: Call("/audit/policy"), denied=WRITERS, other="own"),
    Row(
        "PATCH",
        "/audit/policy",
        lambda w: Call("/audit/policy", {"retention_days": 365}),
        denied=WRITERS,
        other="own",
    ),
    # --- plans: the shared catalogue, the company's subscription and use, the calculator
    Row("GET", "/plans", lambda w: Call("/plans"), denied=(), other="own"),
    Row(
        "PATCH",
        "/plans/{code}",
        lambda w: Call("/plans/basic", {"summary": "Attendance, department groups and 2 TB."}),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/subscription", lambda w: Call("/subscription"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/subscription/preview",
        lambda w: Call("/subscription/preview", {"plan": "basic", "seats": 100, "term": "annual"}),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "PUT",
        "/subscription",
        lambda w: Call("/subscription", {"plan": "professional", "seats": 1200, "term": "annual"}),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "DELETE",
        "/subscription/scheduled-change",
        lambda w: Call("/subscription/scheduled-change"),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/usage", lambda w: Call("/usage"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/pricing",
        lambda w: Call("/pricing", {"plan": "professional", "seats": 25, "term": "annual"}),
        denied=WRITERS,
        other="own",
    ),
    # --- procurement: reseller register, partner lists, quotes, checklist, verdict and its sign-offs
    Row(
        "GET", "/procurement/resellers", lambda w: Call("/procurement/resellers"), denied=WRITERS, other="own"
    ),
    Row(
        "POST",
        "/procurement/resellers",
        lambda w: Call("/procurement/resellers", {"name": _unique("Reseller"), "br_number": "12345678"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/procurement/resellers/{reseller_id}",
        lambda w: Call(f"/procurement/resellers/{w.reseller_id}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        "/procurement/resellers/{reseller_id}",
        lambda w: Call(f"/procurement/resellers/{w.reseller_id}", {"hk_address": "8/F, 1 Harbour Road"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/procurement/resellers/{reseller_id}/certificate-verification",
        lambda w: Call(
            f"/procurement/resellers/{w.reseller_id}/certificate-verification",
            {"note": "DingTalk customer service, case 4411"},
        ),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/procurement/partner-lists",
        lambda w: Call("/procurement/partner-lists"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/procurement/partner-lists",
        lambda w: Call(
            "/procurement/partner-lists",
            {
                "published_on": today_in_hong_kong().isoformat(),
                "csv": "name,br_number\nTechSphere HK,31234567\n",
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/procurement/quotes", lambda w: Call("/procurement/quotes"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/procurement/quotes",
        lambda w: Call(
            "/procurement/quotes",
            {"reseller_id": w.reseller_id, "plan": "professional", "seats": 50, "unit_price": "150.00"},
        ),
        ok=201,
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/procurement/quotes/{quote_id}",
        lambda w: Call(f"/procurement/quotes/{w.quote_id}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        "/procurement/quotes/{quote_id}",
        lambda w: Call(f"/procurement/quotes/{w.quote_id}", {"seats": 90}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/procurement/quotes/{quote_id}/support-test",
        lambda w: Call(
            f"/procurement/quotes/{w.quote_id}/support-test",
            {
                "query_sent_at": "2025-06-02T10:00:00+08:00",
                "first_answer_at": "2025-06-02T10:25:00+08:00",
                "answer_language": "cantonese",
            },
        ),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/procurement/quotes/{quote_id}/checklist",
        lambda w: Call(f"/procurement/quotes/{w.quote_id}/checklist"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/procurement/quotes/{quote_id}/verdict",
        lambda w: Call(
            f"/procurement/quotes/{w.quote_id}/verdict", {"decision": "reject", "reasons": "no SLA"}
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/procurement/quotes/{quote_id}/sign-off",
        lambda w: Call(f"/procurement/quotes/{w.quote_id}/sign-off", {"capacity": "legal"}),
        allowed="legal",
        denied=(*WRITERS, "admin", "infosec"),  # administrators hold no sign-off right; each capacity its own
    ),
    # --- security incidents (company A's; each step finds an incident in the state it needs)
    Row("GET", "/security/incidents", lambda w: Call("/security/incidents"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/security/incidents",
        lambda w: Call("/security/incidents", {"severity": "low", "title": "Lost phone"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/security/incidents/{incident_id}",
        lambda w: Call(f"/security/incidents/{_incident(w, 'matrix')}"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/take",
        lambda w: Call(f"/security/incidents/{_incident(w, 'matrix')}/take"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/assign",
        lambda w: Call(
            f"/security/incidents/{_incident(w, 'matrix')}/assign",
            {"owner_id": str(w.a.admin.id)},  # type: ignore[union-attr]
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/notes",
        lambda w: Call(f"/security/incidents/{_incident(w, 'matrix')}/notes", {"text": "Called the holder."}),
        ok=201,
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/report",
        lambda w: Call(
            f"/security/incidents/{_incident(w, 'matrix')}/report", {"summary": "Emailed compliance."}
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/resolve",
        lambda w: Call(
            f"/security/incidents/{_incident(w, 'reported', reported=True)}/resolve",
            {"resolution": "Secured."},
        ),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/incidents/{incident_id}/dismiss",
        lambda w: Call(f"/security/incidents/{_incident(w, 'matrix')}/dismiss", {"reason": "False alarm."}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/me/report-compromise",
        lambda w: Call("/me/report-compromise", {"description": "I typed my password into a fake page."}),
        ok=201,
        denied=(),
        other="own",
    ),
    # --- background jobs: company A's failed run (both administrators are operators, each of their own)
    Row("GET", "/jobs", lambda w: Call("/jobs"), denied=WRITERS, other="own"),
    Row("GET", "/jobs/{job_id}", lambda w: Call(f"/jobs/{_failed_job(w)}"), denied=WRITERS),
    Row(
        "POST",
        "/jobs/{job_id}/retry",
        lambda w: Call(f"/jobs/{_failed_job(w)}/retry"),
        ok=201,
        denied=WRITERS,
    ),
    # --- single sign-on connections
    Row(
        "GET",
        "/security/sso-connections",
        lambda w: Call("/security/sso-connections"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/security/sso-connections",
        lambda w: Call(
            "/security/sso-connections",
            {
                "name": _unique("IdP"),
                "protocol": "oidc",
                "preset": "google",
                "domain": "acme.com.hk",
                "client_id": "matrix-google",
                "client_secret": "s3cret",
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/security/sso-connections/{connection_id}",
        lambda w: Call(f"/security/sso-connections/{_sso_connection(w)}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        "/security/sso-connections/{connection_id}",
        lambda w: Call(f"/security/sso-connections/{_sso_connection(w)}", {"name": "Renamed IdP"}),
        denied=WRITERS,
    ),
    Row(
        "DELETE",
        "/security/sso-connections/{connection_id}",
        lambda w: Call(f"/security/sso-connections/{_sso_connection(w)}"),
        ok=204,
        denied=WRITERS,
    ),
    # --- HR imports (a file without addresses plans alike in any company)
    Row("GET", "/lifecycle/imports", lambda w: Call("/lifecycle/imports"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/lifecycle/imports",
        lambda w: Call(
            "/lifecycle/imports",
            {"file": SimpleUploadedFile("hr.csv", b"employee number,name\nM-1,Matrix Person\n")},
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/lifecycle/imports/{run_id}",
        lambda w: Call(f"/lifecycle/imports/{_sync_run(w)}"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/lifecycle/imports/{run_id}/apply",
        lambda w: Call(f"/lifecycle/imports/{_sync_run(w)}/apply"),
        ok=202,
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/lifecycle/imports/{run_id}/items/{item_id}/decide",
        lambda w: Call(
            f"/lifecycle/imports/{_disputed(w)[0]}/items/{_disputed(w)[1]}/decide", {"member_id": None}
        ),
        denied=WRITERS,
    ),
    Row("GET", "/lifecycle/links", lambda w: Call("/lifecycle/links"), denied=WRITERS, other="own"),
    Row("GET", "/lifecycle/rules", lambda w: Call("/lifecycle/rules"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/lifecycle/rules",
        lambda w: Call("/lifecycle/rules", {"role_id": _own_role(w), "title_contains": "matrix"}),
        ok=201,
        denied=WRITERS,
        other="404",
    ),
    Row(
        "DELETE",
        "/lifecycle/rules/{rule_id}",
        lambda w: Call(f"/lifecycle/rules/{_role_rule(w)}"),
        ok=204,
        denied=WRITERS,
    ),
    Row("GET", "/lifecycle/webhooks", lambda w: Call("/lifecycle/webhooks"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/lifecycle/webhooks",
        lambda w: Call("/lifecycle/webhooks"),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/lifecycle/webhooks/{webhook_id}/rotate",
        lambda w: Call(f"/lifecycle/webhooks/{_hr_webhook(w)}/rotate"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        "/lifecycle/webhooks/{webhook_id}",
        lambda w: Call(f"/lifecycle/webhooks/{_hr_webhook(w)}", {"enabled": False}),
        denied=WRITERS,
    ),
    # --- access reviews: campaigns (administrators), items (their reviewer only: Helen, Gary's manager,
    # holds no administrative right; Gary may not decide his own, nor Ada, who is not his reviewer)
    Row("GET", "/reviews/campaigns", lambda w: Call("/reviews/campaigns"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/reviews/campaigns",
        lambda w: Call(
            "/reviews/campaigns",
            {"name": "Matrix review", "due_at": (now() + dt.timedelta(days=14)).isoformat()},
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "GET",
        "/reviews/campaigns/{campaign_id}",
        lambda w: Call(f"/reviews/campaigns/{_review(w)}"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/reviews/campaigns/{campaign_id}/open",
        lambda w: Call(f"/reviews/campaigns/{_review(w, draft=True)}/open"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/reviews/campaigns/{campaign_id}/close",
        lambda w: Call(f"/reviews/campaigns/{_review(w)}/close"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/reviews/campaigns/{campaign_id}/report.csv",
        lambda w: Call(f"/reviews/campaigns/{_review(w)}/report.csv"),
        denied=WRITERS,
        content_type="text/csv",
    ),
    Row("GET", "/reviews/mine", lambda w: Call("/reviews/mine"), denied=(), other="own"),
    Row(
        "POST",
        "/reviews/items/{item_id}/decide",
        lambda w: Call(f"/reviews/items/{_review_item(w)}/decide", {"decision": "certify"}),
        allowed="outsider",
        denied=("nobody", "member", "admin"),
    ),
    Row(
        "POST",
        "/reviews/items/decide",
        lambda w: Call("/reviews/items/decide", {"item_ids": [_review_item(w)], "decision": "certify"}),
        allowed="outsider",
        denied=("nobody", "member", "admin"),
    ),
    Row("GET", "/reviews/schedule", lambda w: Call("/reviews/schedule"), denied=WRITERS, other="own"),
    Row(
        "PATCH",
        "/reviews/schedule",
        lambda w: Call("/reviews/schedule", {"quarterly": True}),
        denied=WRITERS,
        other="own",
    ),
    # --- temporary collaborators (asked for by company A's General Member, Gary, in Accounts Payable; Helen
    # of HR is neither sponsor nor approver; a sponsor never decides on their own request or extension)
    Row("GET", "/collaborators", lambda w: Call("/collaborators"), denied=("nobody",), other="own"),
    Row(
        "POST",
        "/collaborators",
        lambda w: Call(
            "/collaborators",
            {
                "email": f"{_unique('guest')}@acme.com.hk",
                "name": "Matrix Guest",
                "organisation": "Matrix Ltd",
                "purpose": "matrix",
                "department_id": _dept(w, "accounts"),
            },
        ),
        ok=201,
        denied=("nobody",),
    ),
    Row(
        "GET",
        "/collaborators/{request_id}",
        lambda w: Call(f"/collaborators/{_collaborator(w)}"),
        denied=("nobody", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/approve",
        lambda w: Call(f"/collaborators/{_collaborator(w)}/approve"),
        denied=("nobody", "member", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/reject",
        lambda w: Call(f"/collaborators/{_collaborator(w)}/reject", {"reason": "matrix"}),
        denied=("nobody", "member", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/revoke",
        lambda w: Call(f"/collaborators/{_collaborator(w, 'approved')}/revoke", {"reason": "matrix"}),
        denied=("nobody", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/extensions",
        lambda w: Call(
            f"/collaborators/{_collaborator(w, 'approved')}/extensions",
            {"ends_at": (now() + dt.timedelta(days=5)).isoformat(), "reason": "matrix"},
        ),
        ok=201,
        denied=("nobody", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/extensions/{extension_id}/approve",
        lambda w: Call(f"/collaborators/{_collaborator_extension(w)}/approve"),
        denied=("nobody", "member", "outsider"),
    ),
    Row(
        "POST",
        "/collaborators/{request_id}/extensions/{extension_id}/reject",
        lambda w: Call(f"/collaborators/{_collaborator_extension(w)}/reject", {"reason": "matrix"}),
        denied=("nobody", "member", "outsider"),
    ),
    # --- the caller's own notices
    Row("GET", "/me/notices", lambda w: Call("/me/notices"), denied=(), other="own"),
    Row(
        "POST",
        "/me/notices/{notice_id}/read",
        lambda w: Call(f"/me/notices/{_admin_notice(w)}/read"),
        denied=WRITERS,  # another member's notice is not found
    ),
    Row("POST", "/me/notices/read", lambda w: Call("/me/notices/read"), denied=(), other="own"),
    # --- security settings, email domains, baseline report (company A's own unless an id is named)
    Row("GET", "/security/settings", lambda w: Call("/security/settings"), denied=WRITERS, other="own"),
    Row(
        "PATCH",
        "/security/settings",
        lambda w: Call("/security/settings", {"temporary_max_days": 5}),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/security/domains", lambda w: Call("/security/domains"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/security/domains",
        lambda w: Call("/security/domains", {"name": f"{_unique('new')}.hk"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/security/domains/{name}/check",
        lambda w: Call(f"/security/domains/{_pending_domain(w, 'check')}/check"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/security/domains/{name}/override",
        lambda w: Call(
            f"/security/domains/{_pending_domain(w, 'override')}/override",
            {"reason": "registrar change freeze until month end"},
        ),
        denied=WRITERS,
    ),
    Row(
        "DELETE",
        "/security/domains/{name}",
        lambda w: Call(f"/security/domains/{_pending_domain(w, 'doomed')}"),
        ok=204,
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/security/domains/outside-members",
        lambda w: Call("/security/domains/outside-members"),
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/security/baseline", lambda w: Call("/security/baseline"), denied=WRITERS, other="own"),
    Row(
        "GET",
        "/security/baseline.csv",
        lambda w: Call("/security/baseline.csv"),
        denied=WRITERS,
        other="own",
        content_type="text/csv",
    ),
    Row(
        "GET",
        "/security/baseline/exceptions",
        lambda w: Call("/security/baseline/exceptions"),
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/security/baseline/exceptions",
        lambda w: Call(
            "/security/baseline/exceptions",
            {
                "rule_id": "HB.NET.1v1",
                "rationale": "staff work from many sites",
                "expires_at": (now() + dt.timedelta(days=30)).isoformat(),
            },
        ),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "DELETE",
        "/security/baseline/exceptions/{exception_id}",
        lambda w: Call(f"/security/baseline/exceptions/{_baseline_exception(w)}"),
        denied=WRITERS,
    ),
]


def _review(w: World, *, draft: bool = False) -> str:
    """An access review of company A over the "Payroll clerks" role: a draft, or open (made on first use)."""
    from harbour.directory.actions import update_member
    from harbour.reviews.actions import create_campaign, open_campaign
    from harbour.reviews.models import ReviewCampaign

    state = ReviewCampaign.State.DRAFT if draft else ReviewCampaign.State.OPEN
    found = ReviewCampaign.objects.for_tenant(w.a.tenant).filter(state=state).first()
    if found is None:
        assert w.a.member is not None and w.a.outsider is not None
        update_member(w.a.system, w.a.member, manager=w.a.outsider)
        found = create_campaign(
            w.a.system,
            name="Matrix review",
            role_ids=[w.held_role.pk],
            due_at=now() + dt.timedelta(days=14),
        )
        if not draft:
            found = open_campaign(w.a.system, found)
    return str(found.pk)


def _review_item(w: World) -> str:
    """The pending item of Gary's "Payroll clerks" grant in company A's open review: Helen reviews it."""
    from harbour.reviews.models import ReviewItem

    campaign = _review(w)
    return str(ReviewItem.objects.for_tenant(w.a.tenant).get(campaign_id=campaign, decision="pending").pk)


def _sync_run(w: World) -> str:
    """A planned HR import of company A (made on first use)."""
    from harbour.lifecycle.actions import plan_file_import
    from harbour.lifecycle.models import SyncRun

    found = SyncRun.objects.for_tenant(w.a.tenant).first()
    data = b"employee number,email,name\nE-1,matrix.joiner@acme.com.hk,Matrix Joiner\n"
    return str((found or plan_file_import(w.a.system, data, "matrix.csv")).pk)


def _disputed(w: World) -> tuple[str, str]:
    """A planned import of company A with one disputed record: (run id, item id), made on first use."""
    from harbour.lifecycle.actions import plan_file_import
    from harbour.lifecycle.models import SyncItem

    found = SyncItem.objects.for_tenant(w.a.tenant).filter(kind="disputed").first()
    if found is None:
        assert w.a.manager is not None and w.a.outsider is not None
        data = f"employee number,email,name\n{w.a.manager.employee_number},{w.a.outsider.email},Two Ways\n"
        run = plan_file_import(w.a.system, data.encode(), "disputed.csv")
        found = SyncItem.objects.for_tenant(w.a.tenant).get(run=run, kind="disputed")
    return str(found.run_id), str(found.pk)


def _own_role(w: World) -> str:
    """Company A's Department Manager role (company B's administrator is told it does not exist)."""
    return str(w.a.roles["department_manager"].pk)


def _role_rule(w: World) -> str:
    from harbour.lifecycle.models import RoleRule
    from harbour.lifecycle.rules import create_rule

    found = RoleRule.objects.for_tenant(w.a.tenant).first()
    return str(
        (found or create_rule(w.a.system, role=w.a.roles["department_manager"], title_contains="head")).pk
    )


def _hr_webhook(w: World) -> str:
    from harbour.lifecycle.models import HrWebhook
    from harbour.lifecycle.webhook import create_webhook

    found = HrWebhook.objects.for_tenant(w.a.tenant).first()
    return str((found or create_webhook(w.a.system)[0]).pk)


def _collaborator(w: World, state: str = "requested", *, extension: bool = False) -> str:
    """A collaborator request of company A asked for by Gary in Accounts Payable, in ``state`` ("requested",
    or "approved" for 3 days), with an extension Gary asked for when ``extension`` (made on first use)."""
    from harbour.collaborators import actions as collaborators
    from harbour.collaborators.models import CollaboratorRequest

    assert w.a.member is not None
    email = f"matrix-{state}{'-extended' if extension else ''}@acme.com.hk"
    found = CollaboratorRequest.objects.for_tenant(w.a.tenant).filter(email=email).first()
    if found is None:
        found = collaborators.request_collaborator(
            w.a.member,
            email=email,
            name="Matrix Guest",
            organisation="Matrix Ltd",
            purpose="matrix",
            department=w.a.departments["accounts"],
        )
        if state == "approved":
            found = collaborators.approve_request(w.a.system, found, days=3)
            if extension:
                assert found.ends_at is not None
                ends_at = found.ends_at + dt.timedelta(days=1)
                collaborators.request_extension(w.a.member, found, ends_at=ends_at, reason="matrix")
    return str(found.pk)


def _collaborator_extension(w: World) -> str:
    """``request_id/extensions/extension_id`` of a waiting extension Gary asked for."""
    from harbour.collaborators.models import CollaboratorExtension

    request_id = _collaborator(w, "approved", extension=True)
    extension = CollaboratorExtension.objects.for_tenant(w.a.tenant).get(request_id=request_id)
    return f"{request_id}/extensions/{extension.pk}"


def _admin_notice(w: World) -> str:
    """A notice for company A's administrator (made on first use)."""
    from harbour.security.models import Notice
    from harbour.security.notices import post_notice

    assert w.a.admin is not None
    found = Notice.objects.for_tenant(w.a.tenant).filter(member=w.a.admin).first()
    return str((found or post_notice([w.a.admin], title="Matrix notice")[0]).pk)


def _pending_domain(w: World, label: str) -> str:
    """An unverified domain of company A (made on first use, so refused callers write nothing)."""
    from harbour.security.models import TenantDomain

    name = f"{label}.{w.a.tenant.slug}.example"
    tenant = w.a.tenant
    tenant.refresh_from_db()
    if name not in tenant.email_domains:
        tenant.email_domains = [*tenant.email_domains, name]
        tenant.save(update_fields=["email_domains"])
        TenantDomain.objects.create(tenant_id=tenant.pk, name=name)
    return name


def _baseline_exception(w: World) -> str:
    from harbour.security.models import BaselineException

    found = BaselineException.objects.for_tenant(w.a.tenant).filter(revoked_at__isnull=True).first()
    if found is None:
        found = BaselineException.objects.create(
            tenant_id=w.a.tenant.pk,
            rule_id="HB.SES.1v1",
            rationale="night shifts need long sessions",
            expires_at=now() + dt.timedelta(days=10),
        )
    return str(found.pk)


def _app_rows() -> list[Row]:
    """Rows kept beside the newer apps' tests (``tests/api/matrix_rows/<app>.py``, one ``ROWS`` each)."""
    import importlib
    import pkgutil

    from tests.api import matrix_rows

    rows: list[Row] = []
    for module in pkgutil.iter_modules(matrix_rows.__path__):
        rows += importlib.import_module(f"{matrix_rows.__name__}.{module.name}").ROWS
    return rows


MATRIX += _app_rows()


def _normalise(path: str) -> str:
    path = re.sub(r"/+", "/", "/" + path.strip("/"))
    return re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", path)  # {uuid:member_id} → {member_id}


def api_routes() -> set[tuple[str, str]]:
    """Every (method, path template) the API serves, read from ninja's mounted routers."""
    api.urls  # noqa: B018  (binds the routers if the URLconf has not yet)
    routes: set[tuple[str, str]] = set()
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    routes.add((method.upper(), _normalise(f"{bound.prefix}/{path}")))
    return routes


def test_matrix_covers_every_route() -> None:
    registered = {(row.method, row.template) for row in MATRIX}
    served = api_routes()
    assert served, "no routes found: did ninja's router internals change?"
    assert served - registered == set(), "routes without a permission-matrix row"
    assert registered - served == set(), "matrix rows for routes that do not exist"
    assert len(registered) == len(MATRIX), "a route has two matrix rows"


def _call(client: ApiClient, row: Row, call: Call) -> Any:
    return client.request(row.method, call.path, call.body, **call.query)


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.id)
def test_route_permissions(world: World, row: Row) -> None:
    # anonymous: no token, no session
    assert_problem(_call(anonymous(), row, row.build(world)), 401)

    # members of the same company without the permission: refused, nothing written
    for who in row.denied:
        client = world.client(who)
        before = row_counts()
        response = _call(client, row, row.build(world))
        assert response.status_code in (403, 404), (who, response.status_code, response.content[:300])
        assert_problem(response, response.status_code)
        assert row_counts() == before, f"{who}'s refused call changed the database"

    # another company's administrator, using company A's ids
    other = world.client("other")
    a_ids = world.ids_of_a()
    before = row_counts()
    response = _call(other, row, row.build(world))
    if row.other == "404":
        assert_problem(response, 404)
        assert row_counts() == before
    else:
        assert 200 <= response.status_code < 300, (response.status_code, response.status_code)
        if getattr(response, "streaming", False):  # an export: every id-looking string in it
            text = b"".join(response.streaming_content).decode()
            assert set(UUID.findall(text)) & a_ids == set(), "company A's ids leaked to company B"
        elif response.content:
            assert ids_in(body(response)) & a_ids == set(), "company A's ids leaked to company B"

    # a member holding the permission
    response = _call(world.client(row.allowed), row, row.build(world))
    assert response.status_code == row.ok, (response.status_code, response.content[:500])
    if row.ok != 204:
        assert response["Content-Type"].startswith(row.content_type)


@pytest.mark.parametrize("row", [r for r in MATRIX if not r.denied], ids=lambda r: r.id)
def test_open_routes_answer_any_member(world: World, row: Row) -> None:
    """Routes about the caller themself need no role: even a member holding none may call them."""
    response = _call(world.client("nobody"), row, row.build(world))
    assert 200 <= response.status_code < 300, response.content[:300]
