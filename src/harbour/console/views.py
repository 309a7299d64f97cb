"""Dashboard: the company at a glance."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from harbour.audit.queries import recent_events_visible_to
from harbour.console.charts import bar_chart
from harbour.console.decorators import member_required
from harbour.directory.queries import department_tree, member_counts, members_visible_to


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    by_state = dict(
        members_visible_to(actor).values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    counts = member_counts(actor)
    departments = department_tree(actor)
    top_level = [
        d for d in departments if d.parent_id is None or d.depth == min(x.depth for x in departments)
    ]
    per_top = [
        (d.name, sum(counts.get(x.id, 0) for x in departments if x.path.startswith(d.path)))
        for d in top_level
    ]
    context = {
        "by_state": by_state,
        "total_members": sum(by_state.values()),
        "department_count": len(departments),
        "chart": bar_chart(per_top),
        "events": recent_events_visible_to(actor, limit=8),
    }
    return render(request, "console/dashboard.html", context)
