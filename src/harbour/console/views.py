"""Dashboard: the company at a glance."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from harbour.audit.queries import recent_events_visible_to
from harbour.core.charts import bar_chart
from harbour.core.decorators import member_required
from harbour.core.models import Tenant
from harbour.core.permissions import AccessSet
from harbour.directory.queries import department_tree, member_counts, members_visible_to
from harbour.plans.queries import usage_of
from harbour.security.baseline import evaluate
from harbour.security.incident_clock import incident_counts
from harbour.security.notices import unread_count


def _sees_states_of_everyone_listed(access: AccessSet) -> bool:
    """A member's state is a private detail: the breakdown by state is shown only to those who may see
    the private details of every member they can see (administrators; managers within their subtree)."""
    visible = access.subtree_prefixes("member.view")
    private = access.subtree_prefixes("member.view_private")
    if private is None:
        return True
    return bool(private) and visible is not None and set(visible) <= set(private)


def _baseline_card(tenant: Tenant) -> dict[str, int]:
    report = evaluate(tenant)
    failing = sum(1 for r in report.results if r.counts and not r.met)
    return {"score": report.score, "failing": failing}


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    access = actor.access()
    by_state = dict(
        members_visible_to(actor).values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    counts = member_counts(actor)
    departments = department_tree(actor)
    # The chart shows the shallowest visible level (the whole company for most, a subtree for managers);
    # each bar counts the memberships in that department and everything below it.
    top_depth = min((d.depth for d in departments), default=0)
    totals: dict[str, int] = {}
    roots = [d for d in departments if d.depth == top_depth]
    for d in departments:
        root = next((r for r in roots if d.path.startswith(r.path)), None)
        if root is not None:
            totals[root.path] = totals.get(root.path, 0) + counts.get(d.id, 0)
    context = {
        "by_state": by_state,
        "show_states": _sees_states_of_everyone_listed(access),
        "total_members": sum(by_state.values()),
        "department_count": len(departments),
        "chart": bar_chart([(d.name, totals.get(d.path, 0)) for d in roots]),
        "events": recent_events_visible_to(actor, limit=8),
        "usage": usage_of(request.tenant) if access.tenant_wide("plan.view") else None,  # type: ignore[attr-defined]
        "incidents": incident_counts(actor.tenant_id) if access.tenant_wide("incident.view") else None,
        "unread_notices": unread_count(actor),
        "baseline": _baseline_card(request.tenant) if access.tenant_wide("security.view") else None,  # type: ignore[attr-defined]
    }
    return render(request, "console/dashboard.html", context)
