"""Every console URL, four callers: anonymous, a member without the permission, a member with it, and an
administrator of another company. A new console URL without a row here fails the completeness test."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from harbour.core.time import now, today_in_hong_kong
from harbour.directory import actions
from harbour.directory.models import BuiltinRole, Member, Role
from harbour.identity.models import ApiToken
from harbour.identity.tokens import create_api_token
from harbour.jobs.models import Job
from harbour.plans.queries import get_plan
from harbour.procurement import actions as procurement
from harbour.procurement.models import PartnerList, Quote, Reseller
from tests.factories import Company
from tests.jobs.helpers import failed_job


@dataclass(frozen=True)
class Row:
    """``url`` builds the address from the company; ``public`` pages need no sign-in; ``self_service``
    pages are open to any member (the 'without permission' caller gets them too)."""

    url: Callable[[Company], str]
    method: str = "get"
    data: Callable[[Company], dict[str, Any]] = lambda c: {}
    public: bool = False
    self_service: bool = False
    foreign_object: bool = False  # the URL names an object of the company: another company's admin gets 404


def _m(c: Company) -> Member:
    assert c.member is not None
    return c.member


def _admin_role(c: Company) -> Any:
    return c.roles[BuiltinRole.ADMINISTRATOR].pk


def _custom_role(c: Company) -> Any:
    role = Role.objects.for_tenant(c.tenant).filter(name="Auditors").first()
    return (role or actions.create_role(c.system, name="Auditors", permissions=["member.view"])).pk


def _invitation_token(c: Company) -> str:
    member = Member.objects.for_tenant(c.tenant).filter(email="invitee@acme.com.hk").first()
    if member is None:
        member = actions.invite_member(
            c.system, actions.MemberSpec(email="invitee@acme.com.hk", name="Invitee")
        )
        c.invitation_token = member.invitation_url.rstrip("/").rsplit("/", 1)[-1]  # type: ignore[attr-defined]
    return str(c.invitation_token)  # type: ignore[attr-defined]


def _admin_token(c: Company) -> Any:
    assert c.admin is not None
    existing = ApiToken.objects.for_tenant(c.tenant).filter(member=c.admin, revoked_at__isnull=True).first()
    return (existing or create_api_token(c.admin, c.admin, name="matrix", days=1)[0]).pk


def _baseline_exception(c: Company) -> Any:
    from harbour.security.models import BaselineException

    found = BaselineException.objects.for_tenant(c.tenant).filter(revoked_at__isnull=True).first()
    if found is None:
        found = BaselineException.objects.create(
            tenant_id=c.tenant.pk,
            rule_id="HB.SES.1v1",
            rationale="night shifts need long sessions",
            expires_at=now() + dt.timedelta(days=10),
        )
    return found.pk


def _sync_run(c: Company) -> Any:
    from harbour.lifecycle.actions import plan_file_import
    from harbour.lifecycle.models import SyncRun

    found = SyncRun.objects.for_tenant(c.tenant).first()
    data = b"employee number,email,name\nE-1,matrix.joiner@acme.com.hk,Matrix Joiner\n"
    return (found or plan_file_import(c.system, data, "matrix.csv")).pk


def _scim_token(c: Company) -> Any:
    from harbour.lifecycle.models import ScimToken
    from harbour.lifecycle.scim.tokens import mint_scim_token

    found = ScimToken.objects.for_tenant(c.tenant).filter(revoked_at__isnull=True).first()
    return (found or mint_scim_token(c.system, name="matrix")[0]).pk


def _review(c: Company, *, draft: bool = False) -> Any:
    """An access review over the General Member role: a draft, or open (made on first use). Nobody in the
    test company has a manager, so Ada, the administrator, reviews every item."""
    from harbour.reviews.actions import create_campaign, open_campaign
    from harbour.reviews.models import ReviewCampaign

    state = ReviewCampaign.State.DRAFT if draft else ReviewCampaign.State.OPEN
    found = ReviewCampaign.objects.for_tenant(c.tenant).filter(state=state).first()
    if found is None:
        role = c.roles[BuiltinRole.GENERAL_MEMBER]
        found = create_campaign(
            c.system, name="Matrix review", role_ids=[role.pk], due_at=now() + dt.timedelta(days=14)
        )
        if not draft:
            found = open_campaign(c.system, found)
    return found.pk


def _review_item(c: Company) -> Any:
    """A pending item of the open review (Gary's or Helen's General Member grant)."""
    from harbour.reviews.models import ReviewItem

    items = ReviewItem.objects.for_tenant(c.tenant).filter(campaign_id=_review(c), decision="pending")
    return items.order_by("member_name").values_list("pk", flat=True)[0]


def _disputed(c: Company) -> tuple[Any, Any]:
    """A planned import with one disputed record: (run id, item id), made on first use."""
    from harbour.lifecycle.actions import plan_file_import
    from harbour.lifecycle.models import SyncItem

    found = SyncItem.objects.for_tenant(c.tenant).filter(kind="disputed").first()
    if found is None:
        assert c.manager is not None and c.outsider is not None
        data = f"employee number,email,name\n{c.manager.employee_number},{c.outsider.email},Two Ways\n"
        run = plan_file_import(c.system, data.encode(), "disputed.csv")
        found = SyncItem.objects.for_tenant(c.tenant).get(run=run, kind="disputed")
    return found.run_id, found.pk


def _role_rule(c: Company) -> Any:
    from harbour.lifecycle.models import RoleRule
    from harbour.lifecycle.rules import create_rule

    found = RoleRule.objects.for_tenant(c.tenant).first()
    return (
        found or create_rule(c.system, role=c.roles[BuiltinRole.DEPARTMENT_MANAGER], title_contains="x")
    ).pk


def _hr_webhook(c: Company) -> Any:
    from harbour.lifecycle.models import HrWebhook
    from harbour.lifecycle.webhook import create_webhook

    found = HrWebhook.objects.for_tenant(c.tenant).first()
    return (found or create_webhook(c.system)[0]).pk


def _collaborator(c: Company, state: str = "requested", *, extension: bool = False) -> Any:
    """A collaborator request asked for by the General Member in Accounts Payable, in ``state`` ("requested",
    or "approved" for 3 days), with a waiting extension when ``extension`` (made on first use)."""
    from harbour.collaborators import actions as collaborators
    from harbour.collaborators.models import CollaboratorRequest

    email = f"matrix-{state}{'-extended' if extension else ''}@acme.com.hk"
    found = CollaboratorRequest.objects.for_tenant(c.tenant).filter(email=email).first()
    if found is None:
        found = collaborators.request_collaborator(
            _m(c),
            email=email,
            name="Matrix Guest",
            organisation="Matrix Ltd",
            purpose="matrix",
            department=c.departments["accounts"],
        )
        if state == "approved":
            found = collaborators.approve_request(c.system, found, days=3)
            if extension:
                assert found.ends_at is not None
                ends_at = found.ends_at + dt.timedelta(days=1)
                collaborators.request_extension(_m(c), found, ends_at=ends_at, reason="matrix")
    return found.pk


def _collaborator_extension(c: Company) -> list[Any]:
    from harbour.collaborators.models import CollaboratorExtension

    request_id = _collaborator(c, "approved", extension=True)
    return [request_id, CollaboratorExtension.objects.for_tenant(c.tenant).get(request_id=request_id).pk]


def _reseller(c: Company) -> Any:
    existing = Reseller.objects.for_tenant(c.tenant).filter(name="Matrix Reseller").first()
    return (
        existing or procurement.create_reseller(c.system, name="Matrix Reseller", certificate_number="DT-1")
    ).pk


def _quote(c: Company) -> Any:
    existing = Quote.objects.for_tenant(c.tenant).first()
    if existing is not None:
        return existing.pk
    reseller = Reseller.objects.for_tenant(c.tenant).get(pk=_reseller(c))
    quote = procurement.create_quote(
        c.system,
        reseller=reseller,
        plan=get_plan("basic"),
        seats=10,
        term="annual",
        unit_price=Decimal("35.00"),
    )
    return procurement.propose_verdict(c.system, quote, decision="reject", reasons="matrix").pk


def _partner_list(c: Company) -> Any:
    existing = PartnerList.objects.for_tenant(c.tenant).first()
    return (
        existing
        or procurement.import_partner_list(c.system, published_on=today_in_hong_kong(), rows=[{"name": "X"}])
    ).pk


def _failed_job(c: Company) -> Any:
    waiting = Job.objects.filter(tenant=c.tenant, result__status="FAILED", retried_as__isnull=True).first()
    return (waiting or failed_job(c.tenant)).pk


def _incident(c: Company) -> Any:
    from harbour.security.incidents import open_incident
    from harbour.security.models import Incident

    found = Incident.objects.for_tenant(c.tenant).filter(title="matrix").first()
    return (found or open_incident(c.system, kind="other", severity="high", title="matrix")).pk


def _device(c: Company) -> Any:
    """A registered company device of the general member (the key itself is not needed here)."""
    from harbour.identity.models import DeviceCredential

    device = DeviceCredential.objects.for_tenant(c.tenant).filter(member=_m(c)).first()
    return (
        device
        or DeviceCredential.objects.create(
            tenant=c.tenant, member=_m(c), name="matrix", credential_id="matrix-cred", public_key=b"-"
        )
    ).pk


def _enrolment_token(c: Company) -> str:
    """An open device-registration link of the general member (opening it does not use it up)."""
    from harbour.identity.devices import create_enrolment

    if not hasattr(c, "enrolment_token"):
        c.enrolment_token = create_enrolment(c.system, _m(c), device_name="matrix")[1]  # type: ignore[attr-defined]
    return str(c.enrolment_token)  # type: ignore[attr-defined]


def _sso_connection(c: Company) -> Any:
    """An OpenID Connect connection of the company (its provider is never called here)."""
    from harbour.identity.models import SsoConnection
    from harbour.identity.sso.actions import create_connection

    existing = SsoConnection.objects.for_tenant(c.tenant).first()
    return (
        existing
        or create_connection(
            c.system,
            name="Matrix IdP",
            protocol="oidc",
            values={"issuer": "https://idp.example.com", "client_id": "matrix", "client_secret": "s3cret"},
        )
    ).pk


def _sso_slug(c: Company) -> str:
    from harbour.identity.models import SsoConnection

    return SsoConnection.objects.for_tenant(c.tenant).get(pk=_sso_connection(c)).slug


MATRIX: dict[str, Row] = {
    "console:dashboard": Row(lambda c: reverse("console:dashboard"), self_service=True),
    "identity:login": Row(lambda c: reverse("identity:login"), public=True),
    "identity:logout": Row(lambda c: reverse("identity:logout"), public=True),
    "identity:set_language": Row(
        lambda c: reverse("identity:set_language"), "post", lambda c: {"language": "en"}, public=True
    ),
    "identity:accept_invite": Row(
        lambda c: reverse("identity:accept_invite", args=[_invitation_token(c)]), public=True
    ),
    "identity:switch": Row(
        lambda c: reverse("identity:switch"),
        "post",
        lambda c: {"tenant_id": str(c.tenant.id)},
        self_service=True,
    ),
    "identity:tokens": Row(lambda c: reverse("identity:tokens"), self_service=True),
    "identity:revoke_token": Row(
        lambda c: reverse("identity:revoke_token", args=[_admin_token(c)]), "post", foreign_object=True
    ),
    "identity:security": Row(lambda c: reverse("identity:security"), self_service=True),
    "identity:totp_setup": Row(lambda c: reverse("identity:totp_setup"), "post", self_service=True),
    "identity:totp_confirm": Row(
        lambda c: reverse("identity:totp_confirm"), "post", lambda c: {"code": "000000"}, self_service=True
    ),
    "identity:totp_recovery_codes": Row(
        lambda c: reverse("identity:totp_recovery_codes"),
        "post",
        lambda c: {"code": "000000"},
        self_service=True,
    ),
    "identity:totp_disable": Row(
        lambda c: reverse("identity:totp_disable"), "post", lambda c: {"code": "000000"}, self_service=True
    ),
    "identity:member_totp_reset": Row(
        lambda c: reverse("identity:member_totp_reset", args=[_m(c).pk]), "post", foreign_object=True
    ),
    "identity:member_devices": Row(
        lambda c: reverse("identity:member_devices", args=[_m(c).pk]), foreign_object=True
    ),
    "identity:device_enrolment_create": Row(
        lambda c: reverse("identity:device_enrolment_create", args=[_m(c).pk]),
        "post",
        lambda c: {"device_name": "HK-PC-1"},
        foreign_object=True,
    ),
    "identity:device_revoke": Row(
        lambda c: reverse("identity:device_revoke", args=[_device(c)]), "post", foreign_object=True
    ),
    "identity:device_enrol": Row(
        lambda c: reverse("identity:device_enrol", args=[_enrolment_token(c)]), public=True
    ),
    "identity:login_totp": Row(lambda c: reverse("identity:login_totp"), public=True),
    "identity:login_totp_enrol": Row(lambda c: reverse("identity:login_totp_enrol"), public=True),
    "identity:login_device": Row(lambda c: reverse("identity:login_device"), public=True),
    "directory:my_profile": Row(lambda c: reverse("directory:my_profile"), self_service=True),
    "directory:org_chart": Row(lambda c: reverse("directory:org_chart")),
    "directory:department": Row(
        lambda c: reverse("directory:department", args=[c.departments["finance"].pk]), foreign_object=True
    ),
    "directory:department_rename": Row(
        lambda c: reverse("directory:department_rename", args=[c.departments["finance"].pk]),
        "post",
        lambda c: {"name": "Finance & Tax"},
        foreign_object=True,
    ),
    "directory:department_move": Row(
        lambda c: reverse("directory:department_move", args=[c.departments["accounts"].pk]),
        "post",
        lambda c: {"parent": "", "position": "0"},
        foreign_object=True,
    ),
    "directory:department_delete": Row(
        lambda c: reverse("directory:department_delete", args=[c.departments["finance"].pk]),
        foreign_object=True,
    ),
    "directory:members": Row(lambda c: reverse("directory:members")),
    "directory:member_invite": Row(lambda c: reverse("directory:member_invite")),
    "directory:member": Row(lambda c: reverse("directory:member", args=[_m(c).pk]), foreign_object=True),
    "directory:member_edit": Row(
        lambda c: reverse("directory:member_edit", args=[_m(c).pk]), foreign_object=True
    ),
    "directory:member_suspend": Row(
        lambda c: reverse("directory:member_suspend", args=[_m(c).pk]), foreign_object=True
    ),
    "directory:member_deactivate": Row(
        lambda c: reverse("directory:member_deactivate", args=[_m(c).pk]), foreign_object=True
    ),
    "directory:member_reactivate": Row(
        lambda c: reverse("directory:member_reactivate", args=[_m(c).pk]), "post", foreign_object=True
    ),
    "directory:member_resend_invitation": Row(
        lambda c: reverse("directory:member_resend_invitation", args=[_m(c).pk]), "post", foreign_object=True
    ),
    "directory:member_grant": Row(
        lambda c: reverse("directory:member_grant", args=[_m(c).pk]),
        "post",
        lambda c: {"role": ""},
        foreign_object=True,
    ),
    "directory:grant_revoke": Row(
        lambda c: reverse("directory:grant_revoke", args=[_m(c).grants.get().pk]), foreign_object=True
    ),
    "directory:roles": Row(lambda c: reverse("directory:roles")),
    "directory:role_create": Row(lambda c: reverse("directory:role_create")),
    "directory:role": Row(lambda c: reverse("directory:role", args=[_admin_role(c)]), foreign_object=True),
    "directory:role_edit": Row(
        lambda c: reverse("directory:role_edit", args=[_admin_role(c)]), foreign_object=True
    ),
    "directory:role_delete": Row(
        lambda c: reverse("directory:role_delete", args=[_custom_role(c)]), foreign_object=True
    ),
    "directory:company": Row(lambda c: reverse("directory:company")),
    "directory:company_edit": Row(lambda c: reverse("directory:company_edit")),
    "directory:tenants": Row(lambda c: reverse("directory:tenants")),  # operators only (see below)
    "oplog:log": Row(lambda c: reverse("oplog:log")),
    "oplog:export": Row(lambda c: reverse("oplog:export", args=["csv"])),
    "oplog:verify": Row(lambda c: reverse("oplog:verify"), "post"),
    "oplog:settings": Row(lambda c: reverse("oplog:settings")),
    "plans:subscription": Row(lambda c: reverse("plans:subscription")),
    "plans:change": Row(lambda c: reverse("plans:change")),
    "plans:cancel_scheduled": Row(lambda c: reverse("plans:cancel_scheduled"), "post"),
    "plans:compare": Row(lambda c: reverse("plans:compare")),
    "plans:catalogue": Row(lambda c: reverse("plans:catalogue")),  # operators only
    "plans:catalogue_edit": Row(lambda c: reverse("plans:catalogue_edit", args=["basic"])),  # operators only
    "procurement:quotes": Row(lambda c: reverse("procurement:quotes")),
    "procurement:quote_create": Row(lambda c: reverse("procurement:quote_create")),
    "procurement:quote": Row(lambda c: reverse("procurement:quote", args=[_quote(c)]), foreign_object=True),
    "procurement:quote_edit": Row(
        lambda c: reverse("procurement:quote_edit", args=[_quote(c)]), foreign_object=True
    ),
    "procurement:quote_support_test": Row(
        lambda c: reverse("procurement:quote_support_test", args=[_quote(c)]), foreign_object=True
    ),
    "procurement:quote_verdict": Row(
        lambda c: reverse("procurement:quote_verdict", args=[_quote(c)]), foreign_object=True
    ),
    "procurement:quote_sign": Row(  # administrators may not sign: refused with a message (302)
        lambda c: reverse("procurement:quote_sign", args=[_quote(c)]),
        "post",
        lambda c: {"capacity": "legal"},
        foreign_object=True,
    ),
    "procurement:resellers": Row(lambda c: reverse("procurement:resellers")),
    "procurement:reseller_create": Row(lambda c: reverse("procurement:reseller_create")),
    "procurement:reseller": Row(
        lambda c: reverse("procurement:reseller", args=[_reseller(c)]), foreign_object=True
    ),
    "procurement:reseller_edit": Row(
        lambda c: reverse("procurement:reseller_edit", args=[_reseller(c)]), foreign_object=True
    ),
    "procurement:reseller_verify": Row(
        lambda c: reverse("procurement:reseller_verify", args=[_reseller(c)]), foreign_object=True
    ),
    "procurement:reseller_sla": Row(
        lambda c: reverse("procurement:reseller_sla", args=[_reseller(c)]), foreign_object=True
    ),
    "procurement:reseller_sla_document": Row(  # no SLA on file: back to the reseller (302)
        lambda c: reverse("procurement:reseller_sla_document", args=[_reseller(c)]), foreign_object=True
    ),
    "procurement:partner_lists": Row(lambda c: reverse("procurement:partner_lists")),
    "procurement:partner_list_import": Row(lambda c: reverse("procurement:partner_list_import")),
    "procurement:partner_list": Row(
        lambda c: reverse("procurement:partner_list", args=[_partner_list(c)]), foreign_object=True
    ),
    "incidents:list": Row(lambda c: reverse("incidents:list")),
    "incidents:open": Row(lambda c: reverse("incidents:open")),
    "incidents:detail": Row(lambda c: reverse("incidents:detail", args=[_incident(c)]), foreign_object=True),
    "incidents:take": Row(
        lambda c: reverse("incidents:take", args=[_incident(c)]), "post", foreign_object=True
    ),
    "incidents:assign": Row(
        lambda c: reverse("incidents:assign", args=[_incident(c)]),
        "post",
        lambda c: {"owner": ""},
        foreign_object=True,
    ),
    "incidents:note": Row(
        lambda c: reverse("incidents:note", args=[_incident(c)]),
        "post",
        lambda c: {"text": "Called the holder."},
        foreign_object=True,
    ),
    "incidents:report": Row(
        lambda c: reverse("incidents:report", args=[_incident(c)]),
        "post",
        lambda c: {"summary": "Emailed compliance."},
        foreign_object=True,
    ),
    "incidents:resolve": Row(  # still open: refused with the reason (400)
        lambda c: reverse("incidents:resolve", args=[_incident(c)]),
        "post",
        lambda c: {"resolution": "Secured."},
        foreign_object=True,
    ),
    "incidents:dismiss": Row(
        lambda c: reverse("incidents:dismiss", args=[_incident(c)]),
        "post",
        lambda c: {"reason": "False alarm."},
        foreign_object=True,
    ),
    "incidents:notices": Row(lambda c: reverse("incidents:notices"), self_service=True),
    "reviews:home": Row(lambda c: reverse("reviews:home"), self_service=True),
    "reviews:certify": Row(
        lambda c: reverse("reviews:certify", args=[_review_item(c)]), "post", foreign_object=True
    ),
    "reviews:revoke": Row(lambda c: reverse("reviews:revoke", args=[_review_item(c)]), foreign_object=True),
    "reviews:bulk_certify": Row(
        lambda c: reverse("reviews:bulk_certify"), "post", data=lambda c: {"items": [str(_review_item(c))]}
    ),
    "reviews:campaigns": Row(lambda c: reverse("reviews:campaigns")),
    "reviews:campaign": Row(lambda c: reverse("reviews:campaign", args=[_review(c)]), foreign_object=True),
    "reviews:open": Row(
        lambda c: reverse("reviews:open", args=[_review(c, draft=True)]), "post", foreign_object=True
    ),
    "reviews:close": Row(lambda c: reverse("reviews:close", args=[_review(c)]), "post", foreign_object=True),
    "reviews:report_csv": Row(
        lambda c: reverse("reviews:report_csv", args=[_review(c)]), foreign_object=True
    ),
    "reviews:schedule": Row(
        lambda c: reverse("reviews:schedule"),
        "post",
        data=lambda c: {"quarterly": "on", "days_open": "21", "escalate_after_days": "14"},
    ),
    "self_report:report": Row(lambda c: reverse("self_report:report"), self_service=True),
    "jobs:list": Row(lambda c: reverse("jobs:list")),
    "jobs:job": Row(lambda c: reverse("jobs:job", args=[_failed_job(c)]), foreign_object=True),
    "jobs:retry": Row(lambda c: reverse("jobs:retry", args=[_failed_job(c)]), "post", foreign_object=True),
    "sso:sign_in": Row(lambda c: reverse("sso:sign_in"), public=True),
    "sso:start": Row(lambda c: reverse("sso:start", args=[_sso_slug(c)]), public=True),
    "sso:connections": Row(lambda c: reverse("sso:connections")),
    "sso:connection_choose": Row(lambda c: reverse("sso:connection_choose")),
    "sso:connection_create": Row(lambda c: reverse("sso:connection_create", args=["generic-oidc"])),
    "sso:connection": Row(
        lambda c: reverse("sso:connection", args=[_sso_connection(c)]), foreign_object=True
    ),
    "sso:connection_edit": Row(
        lambda c: reverse("sso:connection_edit", args=[_sso_connection(c)]), foreign_object=True
    ),
    "sso:connection_enable": Row(
        lambda c: reverse("sso:connection_enable", args=[_sso_connection(c)]), "post", foreign_object=True
    ),
    "sso:connection_disable": Row(
        lambda c: reverse("sso:connection_disable", args=[_sso_connection(c)]), foreign_object=True
    ),
    "sso:connection_delete": Row(
        lambda c: reverse("sso:connection_delete", args=[_sso_connection(c)]), foreign_object=True
    ),
    "security:settings": Row(lambda c: reverse("security:settings")),
    "security:domains": Row(lambda c: reverse("security:domains")),
    "security:domain_check": Row(
        lambda c: reverse("security:domain_check"), "post", lambda c: {"name": c.tenant.email_domains[0]}
    ),
    "security:domain_override": Row(
        lambda c: reverse("security:domain_override"),
        "post",
        lambda c: {"name": c.tenant.email_domains[0], "reason": "registrar frozen this month"},
    ),
    "security:domain_remove": Row(
        lambda c: reverse("security:domain_remove"), "post", lambda c: {"name": "x.hk"}
    ),
    "security:outside_members": Row(lambda c: reverse("security:outside_members")),
    "security:baseline": Row(lambda c: reverse("security:baseline")),
    "security:baseline_csv": Row(lambda c: reverse("security:baseline_csv")),
    "security:exception_revoke": Row(
        lambda c: reverse("security:exception_revoke", args=[_baseline_exception(c)]),
        "post",
        foreign_object=True,
    ),
    "identity:sessions": Row(lambda c: reverse("identity:sessions"), self_service=True),
    "identity:end_session": Row(
        lambda c: reverse("identity:end_session", args=[uuid.uuid4()]), "post", self_service=True
    ),
    "identity:end_all_sessions": Row(
        lambda c: reverse("identity:end_all_sessions"), "post", self_service=True
    ),
    "identity:member_sessions": Row(
        lambda c: reverse("identity:member_sessions", args=[_m(c).pk]), foreign_object=True
    ),
    "identity:end_member_sessions": Row(
        lambda c: reverse("identity:end_member_sessions", args=[_m(c).pk]), "post", foreign_object=True
    ),
    "identity:unlock_member": Row(
        lambda c: reverse("identity:unlock_member", args=[_m(c).pk]), "post", foreign_object=True
    ),
    "identity:break_glass": Row(lambda c: reverse("identity:break_glass"), public=True),
    "collaborators:list": Row(lambda c: reverse("collaborators:list")),
    "collaborators:approve": Row(
        lambda c: reverse("collaborators:approve", args=[_collaborator(c)]), "post", foreign_object=True
    ),
    "collaborators:reject": Row(
        lambda c: reverse("collaborators:reject", args=[_collaborator(c)]),
        "post",
        lambda c: {"reason": "matrix"},
        foreign_object=True,
    ),
    "collaborators:revoke": Row(
        lambda c: reverse("collaborators:revoke", args=[_collaborator(c, "approved")]),
        "post",
        foreign_object=True,
    ),
    "collaborators:extend": Row(
        lambda c: reverse("collaborators:extend", args=[_collaborator(c, "approved")]),
        "post",
        lambda c: {"ends_at": (now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"), "reason": "matrix"},
        foreign_object=True,
    ),
    "collaborators:approve_extension": Row(
        lambda c: reverse("collaborators:approve_extension", args=_collaborator_extension(c)),
        "post",
        foreign_object=True,
    ),
    "collaborators:reject_extension": Row(
        lambda c: reverse("collaborators:reject_extension", args=_collaborator_extension(c)),
        "post",
        lambda c: {"reason": "matrix"},
        foreign_object=True,
    ),
    "lifecycle:imports": Row(lambda c: reverse("lifecycle:imports")),
    "lifecycle:run": Row(lambda c: reverse("lifecycle:run", args=[_sync_run(c)]), foreign_object=True),
    "lifecycle:apply": Row(
        lambda c: reverse("lifecycle:apply", args=[_sync_run(c)]), "post", foreign_object=True
    ),
    "lifecycle:sources": Row(lambda c: reverse("lifecycle:sources")),
    "lifecycle:webhook_create": Row(lambda c: reverse("lifecycle:webhook_create"), "post"),
    "lifecycle:webhook_change": Row(
        lambda c: reverse("lifecycle:webhook_change", args=[_hr_webhook(c)]),
        "post",
        data=lambda c: {"do": "disable"},
        foreign_object=True,
    ),
    "lifecycle:reconciliation": Row(lambda c: reverse("lifecycle:reconciliation")),
    "lifecycle:decide": Row(
        lambda c: reverse("lifecycle:decide", args=_disputed(c)),
        "post",
        data=lambda c: {"member": ""},
        foreign_object=True,
    ),
    "lifecycle:rules": Row(lambda c: reverse("lifecycle:rules")),
    "lifecycle:scim": Row(lambda c: reverse("lifecycle:scim")),
    "lifecycle:scim_revoke": Row(
        lambda c: reverse("lifecycle:scim_revoke", args=[_scim_token(c)]), "post", foreign_object=True
    ),
    "lifecycle:rule_delete": Row(
        lambda c: reverse("lifecycle:rule_delete", args=[_role_rule(c)]), "post", foreign_object=True
    ),
}

# Pages for platform operators: the admin calling them is made an operator for the test.
OPERATOR_PAGES = {"directory:tenants", "plans:catalogue", "plans:catalogue_edit"}


def _app_rows() -> dict[str, Row]:
    """Rows kept beside the newer apps' tests (``tests/console/url_rows/<app>.py``, one ``ROWS`` each)."""
    import importlib
    import pkgutil

    from tests.console import url_rows

    rows: dict[str, Row] = {}
    for module in pkgutil.iter_modules(url_rows.__path__):
        rows |= importlib.import_module(f"{url_rows.__name__}.{module.name}").ROWS
    return rows


MATRIX |= _app_rows()


def _console_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api":
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_console_url_has_a_matrix_row() -> None:
    assert _console_url_names() == set(MATRIX)


def _call(client: Client, row: Row, company: Company) -> Any:
    url = row.url(company)
    return client.post(url, row.data(company)) if row.method == "post" else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_console_permission_matrix(
    name: str, company: Company, other_company: Company, nobody: Member, as_member: Callable[[Member], Client]
) -> None:
    row = MATRIX[name]
    assert company.admin is not None and other_company.admin is not None
    company.admin.account.is_operator = name in OPERATOR_PAGES
    company.admin.account.save()

    anonymous = _call(Client(), row, company)
    if row.public:
        assert anonymous.status_code in (200, 302), name
    else:
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], name

    without = _call(as_member(nobody), row, company)
    if row.public or row.self_service:
        assert without.status_code in (200, 302, 404), name
    else:
        assert without.status_code == 404, name

    with_permission = _call(as_member(company.admin), row, company)
    assert with_permission.status_code in (200, 302, 400), (name, with_permission.status_code)
    if row.self_service:
        assert with_permission.status_code in (200, 302), name

    if row.foreign_object:
        foreign = _call(as_member(other_company.admin), row, company)
        assert foreign.status_code == 404, name
