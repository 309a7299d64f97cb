"""The console's navigation: only entries the actor may use appear."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harbour.core.models import Account
from harbour.core.permissions import Actor


@dataclass(frozen=True)
class NavItem:
    label: Promise | str
    url: str
    active: bool


def navigation_for(actor: Actor | None, account: Account, path: str) -> list[NavItem]:
    entries: list[tuple[Promise | str, str]] = []
    if actor is not None:
        access = actor.access()
        entries.append((_("Dashboard"), reverse("console:dashboard")))
        if access.scopes.get("department.view") or access.everything:
            entries.append((_("Organisation"), reverse("directory:org_chart")))
        if access.scopes.get("member.view") or access.everything:
            entries.append((_("Members"), reverse("directory:members")))
        if access.tenant_wide("role.view"):
            entries.append((_("Roles"), reverse("directory:roles")))
        if access.tenant_wide("tenant.view"):
            entries.append((_("Company"), reverse("directory:company")))
        if access.tenant_wide("audit.view"):
            entries.append((_("Operation log"), reverse("oplog:log")))
        if access.tenant_wide("plan.view"):
            entries.append((_("Plan"), reverse("plans:subscription")))
        if access.tenant_wide("procurement.view"):
            entries.append((_("Procurement"), reverse("procurement:quotes")))
        if access.tenant_wide("jobs.view") or account.is_operator:
            entries.append((_("Jobs"), reverse("jobs:list")))
        if access.tenant_wide("lifecycle.view"):
            entries.append((_("HR imports"), reverse("lifecycle:imports")))
        if access.everything or {"collaborator.request", "collaborator.approve"} & set(access.scopes):
            entries.append((_("Temporary collaborators"), reverse("collaborators:list")))
        # Any member may be asked to review a report's access (managers need no admin role for it).
        entries.append((_("Access reviews"), reverse("reviews:home")))
        entries.append((_("My policies"), reverse("policies:mine")))
        if access.tenant_wide("policy.view"):
            entries.append((_("Policies"), reverse("policies:documents")))
        entries.append((_("My training"), reverse("training:mine")))
        if access.tenant_wide("training.view"):
            entries.append((_("Security training"), reverse("training:programmes")))
        entries.append((_("Announcements"), reverse("announcements:inbox")))
        if access.tenant_wide("announcement.view"):
            entries.append((_("Manage announcements"), reverse("announcements:manage")))
        entries.append((_("Privacy notice"), reverse("pdpo:pics")))
        if access.tenant_wide("pdpo.view"):
            entries.append((_("PDPO register"), reverse("pdpo:home")))
        if access.tenant_wide("datarequest.view"):
            entries.append((_("Data requests"), reverse("data_requests:list")))
        entries.append((_("My data requests"), reverse("data_requests:mine")))
        if access.tenant_wide("retention.view"):
            entries.append((_("Retention and erasure"), reverse("retention:schedules")))
        if access.tenant_wide("compliance.view"):
            entries.append((_("Compliance"), reverse("compliance:dashboard")))
        if access.tenant_wide("security.view"):
            entries.append((_("Security"), reverse("security:settings")))
        if access.tenant_wide("incident.view"):
            entries.append((_("Incidents"), reverse("incidents:list")))
        if access.tenant_wide("dingtalk.view"):
            entries.append((_("DingTalk"), reverse("dingtalk:connection")))
        entries.append((_("Notices"), reverse("incidents:notices")))
        entries.append((_("My profile"), reverse("directory:my_profile")))
        entries.append((_("API tokens"), reverse("identity:tokens")))
    if account.is_operator:
        entries.append((_("Companies"), reverse("directory:tenants")))
        entries.append((_("Plan catalogue"), reverse("plans:catalogue")))
        if actor is None:  # an operator with no company of their own still sees platform-wide jobs
            entries.append((_("Jobs"), reverse("jobs:list")))
    # The entry whose address is the longest start of the path is the active one (/security/incidents/
    # is Incidents, not Security).
    matching = [url for _label, url in entries if path == url or (url != "/" and path.startswith(url))]
    active = max(matching, key=len, default=None)
    return [NavItem(label, url, url == active) for label, url in entries]
