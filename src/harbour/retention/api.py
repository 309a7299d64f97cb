"""REST routes of the retention app: schedules, legal holds, the erasure preview, run now, and the
evidence of past runs."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from harbour.core.pagination import keyset_page
from harbour.directory.queries import get_member_for
from harbour.retention import actions, runs
from harbour.retention.queries import (
    category_or_invalid,
    get_hold_for,
    get_run_for,
    holds_visible_to,
    preview_for,
    runs_visible_to,
    statuses_for,
)
from harbour.retention.schemas import (
    HoldIn,
    HoldOut,
    LiftIn,
    PreviewFilters,
    PreviewOut,
    RunFilters,
    RunIn,
    RunOut,
    RunPage,
    ScheduleIn,
    ScheduleOut,
)

router = Router(tags=["Retention and erasure"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _schedule_out(actor: Any, code: str) -> ScheduleOut:
    return next(ScheduleOut.of(row) for row in statuses_for(actor) if row.category.code == code)


@router.get(
    "/retention/schedules", response=list[ScheduleOut], summary="Retention schedule of every category"
)
def list_schedules(request: HttpRequest) -> list[ScheduleOut]:
    return [ScheduleOut.of(row) for row in statuses_for(_actor(request))]


@router.patch("/retention/schedules/{category}", response=ScheduleOut, summary="Change a category's schedule")
def change_schedule(request: HttpRequest, category: str, body: ScheduleIn) -> ScheduleOut:
    actor = _actor(request)
    actions.update_schedule(actor, category, days=body.days, enabled=body.enabled)
    return _schedule_out(actor, category)


@router.get("/retention/holds", response=list[HoldOut], summary="Legal holds, newest first")
def list_holds(request: HttpRequest) -> list[HoldOut]:
    return [HoldOut.of(hold) for hold in holds_visible_to(_actor(request))]


@router.post("/retention/holds", response={201: HoldOut}, summary="Place a legal hold")
def place_hold(request: HttpRequest, body: HoldIn) -> tuple[int, HoldOut]:
    actor = _actor(request)
    member = get_member_for(actor, body.member_id) if body.member_id else None
    hold = actions.place_hold(
        actor, reason=body.reason, category=body.category, member=member, ends_on=body.ends_on
    )
    return 201, HoldOut.of(get_hold_for(actor, hold.pk))


@router.post("/retention/holds/{hold_id}/lift", response=HoldOut, summary="Lift a legal hold")
def lift_hold(request: HttpRequest, hold_id: uuid.UUID, body: LiftIn) -> HoldOut:
    actor = _actor(request)
    actions.lift_hold(actor, get_hold_for(actor, hold_id), reason=body.reason)
    return HoldOut.of(get_hold_for(actor, hold_id))


@router.get("/retention/preview", response=list[PreviewOut], summary="Dry run: what erasure would do now")
def preview(request: HttpRequest, filters: Query[PreviewFilters]) -> list[PreviewOut]:
    return [PreviewOut.of(row) for row in preview_for(_actor(request), filters.category or None)]


@router.post("/retention/run", response=list[RunOut], summary="Run erasure now")
def run_now(request: HttpRequest, body: RunIn | None = None) -> list[RunOut]:
    actor = _actor(request)
    code = body.category if body is not None else ""
    if code:
        category_or_invalid(code)
        return [RunOut.of(runs.run_erasure(actor, code))]
    return [RunOut.of(run) for run in runs.run_all(actor)]


@router.get("/retention/runs", response=RunPage, summary="Erasure evidence, oldest first")
def list_runs(request: HttpRequest, filters: Query[RunFilters]) -> RunPage:
    qs = runs_visible_to(_actor(request))
    if filters.category:
        qs = qs.filter(category=filters.category)
    page = keyset_page(qs, ("started_at", "id"), filters.cursor, filters.limit)
    return RunPage(items=[RunOut.of(run) for run in page.items], next_cursor=page.next_cursor)


@router.get("/retention/runs/{run_id}", response=RunOut, summary="One erasure run's evidence")
def get_run(request: HttpRequest, run_id: uuid.UUID) -> RunOut:
    return RunOut.of(get_run_for(_actor(request), run_id))
