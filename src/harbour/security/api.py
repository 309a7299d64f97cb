"""REST API v1 of security settings, email domains and the baseline report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from harbour.audit.retention import policy_of
from harbour.core.models import Tenant
from harbour.core.permissions import require_permission
from harbour.core.time import now
from harbour.security import domains
from harbour.security.actions import grant_exception, revoke_exception, update_settings
from harbour.security.baseline import csv_lines, evaluate
from harbour.security.queries import exceptions_for, get_exception_for, settings_for
from harbour.security.schemas import (
    BaselineOut,
    DomainIn,
    DomainOut,
    ExceptionIn,
    ExceptionOut,
    OutsideMemberOut,
    OverrideIn,
    SettingsOut,
    SettingsPatch,
)

router = Router(tags=["security"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _settings_out(actor: Any) -> SettingsOut:
    return SettingsOut.of(settings_for(actor), policy_of(actor.tenant_id).retention_days)


@router.get("/security/settings", response=SettingsOut, summary="The company's security settings")
def get_settings(request: HttpRequest) -> SettingsOut:
    return _settings_out(_actor(request))


@router.patch("/security/settings", response=SettingsOut, summary="Change security settings (audited)")
def patch_settings(request: HttpRequest, body: SettingsPatch) -> SettingsOut:
    actor = _actor(request)
    values = body.dict(exclude_unset=True)
    if "break_glass_member_id" in values:
        values["break_glass_member"] = values.pop("break_glass_member_id")
    update_settings(actor, values)
    return _settings_out(actor)


def _domain(actor: Any, name: str) -> DomainOut:
    status = next((s for s in domains.domain_statuses(actor) if s.name == name), None)
    assert status is not None
    return DomainOut.of(status)


@router.get("/security/domains", response=list[DomainOut], summary="The company's email domains")
def list_domains(request: HttpRequest) -> list[DomainOut]:
    return [DomainOut.of(s) for s in domains.domain_statuses(_actor(request))]


@router.get(
    "/security/domains/outside-members",
    response=list[OutsideMemberOut],
    summary="Members whose address is outside the verified domains",
)
def outside_members(request: HttpRequest) -> list[OutsideMemberOut]:
    members = domains.members_outside_domains(_actor(request))[:10_000]
    return [OutsideMemberOut(id=m.pk, name=m.name, email=m.email, state=m.state) for m in members]


@router.post("/security/domains", response={201: DomainOut}, summary="Add an email domain")
def add_domain(request: HttpRequest, body: DomainIn) -> tuple[int, DomainOut]:
    actor = _actor(request)
    row = domains.add_domain(actor, body.name)
    return 201, _domain(actor, row.name)


@router.post("/security/domains/{name}/check", response=DomainOut, summary="Look the TXT record up in DNS")
def check_domain(request: HttpRequest, name: str) -> DomainOut:
    actor = _actor(request)
    row = domains.check_domain(actor, name)
    return _domain(actor, row.name)


@router.post(
    "/security/domains/{name}/override", response=DomainOut, summary="Mark verified without DNS (audited)"
)
def override_domain(request: HttpRequest, name: str, body: OverrideIn) -> DomainOut:
    actor = _actor(request)
    row = domains.override_verification(actor, name, reason=body.reason)
    return _domain(actor, row.name)


@router.delete("/security/domains/{name}", response={204: None}, summary="Remove an email domain")
def remove_domain(request: HttpRequest, name: str) -> tuple[int, None]:
    domains.remove_domain(_actor(request), name)
    return 204, None


@router.get("/security/baseline", response=BaselineOut, summary="The security baseline report (JSON)")
def baseline(request: HttpRequest) -> BaselineOut:
    actor = _actor(request)
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.view", tenant)
    return BaselineOut.of(evaluate(tenant), now())


@router.get("/security/baseline.csv", summary="The security baseline report (CSV)")
def baseline_csv(request: HttpRequest) -> StreamingHttpResponse:
    actor = _actor(request)
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "security.view", tenant)
    response = StreamingHttpResponse(csv_lines(evaluate(tenant)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="baseline-{tenant.slug}.csv"'
    return response


@router.get("/security/baseline/exceptions", response=list[ExceptionOut], summary="Baseline exceptions")
def list_exceptions(request: HttpRequest) -> list[ExceptionOut]:
    return [ExceptionOut.of(e) for e in exceptions_for(_actor(request)).order_by("-created_at")[:500]]


@router.post("/security/baseline/exceptions", response={201: ExceptionOut}, summary="Accept a deviation")
def create_exception(request: HttpRequest, body: ExceptionIn) -> tuple[int, ExceptionOut]:
    exception = grant_exception(
        _actor(request), rule_id=body.rule_id, rationale=body.rationale, expires_at=body.expires_at
    )
    return 201, ExceptionOut.of(exception)


@router.delete(
    "/security/baseline/exceptions/{exception_id}", response=ExceptionOut, summary="Revoke an exception"
)
def delete_exception(request: HttpRequest, exception_id: str) -> ExceptionOut:
    actor = _actor(request)
    return ExceptionOut.of(revoke_exception(actor, get_exception_for(actor, exception_id)))
