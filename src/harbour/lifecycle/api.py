"""REST API v1 of HR imports: plan a file (multipart upload), read a run and its changes, apply it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile

from harbour.core.errors import Invalid
from harbour.lifecycle.actions import apply_in_background, plan_file_import
from harbour.lifecycle.queries import get_run_for, items_of, runs_for
from harbour.lifecycle.schemas import ItemOut, QueuedOut, RunDetailOut, RunOut

router = Router(tags=["lifecycle"])
ITEMS_SHOWN = 1000


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@router.get("/lifecycle/imports", response=list[RunOut], summary="HR imports, newest first")
def list_imports(request: HttpRequest) -> list[RunOut]:
    return [RunOut.of(run) for run in runs_for(_actor(request))[:100]]


@router.post("/lifecycle/imports", response={201: RunDetailOut}, summary="Plan an HR file (a dry run)")
def plan_import(
    request: HttpRequest,
    file: File[UploadedFile],
    full_export: Form[bool] = False,
    mapping: Form[str] = "",
) -> tuple[int, RunDetailOut]:
    try:
        fields = json.loads(mapping) if mapping.strip() else {}
    except json.JSONDecodeError:
        raise Invalid(_('mapping is a JSON object: {"field": "Header"}'), field="mapping") from None
    if not isinstance(fields, dict):
        raise Invalid(_('mapping is a JSON object: {"field": "Header"}'), field="mapping")
    run = plan_file_import(
        _actor(request), file.read(), file.name or "upload", mapping=fields or None, full_export=full_export
    )
    return 201, _detail(run)


def _detail(run: Any) -> RunDetailOut:
    items = [ItemOut.of(i) for i in items_of(run).order_by("position")[:ITEMS_SHOWN]]
    return RunDetailOut(**RunOut.of(run).dict(), items=items)


@router.get("/lifecycle/imports/{run_id}", response=RunDetailOut, summary="One import and its changes")
def get_import(request: HttpRequest, run_id: str) -> RunDetailOut:
    return _detail(get_run_for(_actor(request), run_id))


@router.post(
    "/lifecycle/imports/{run_id}/apply",
    response={202: QueuedOut},
    summary="Apply a planned import (background)",
)
def apply_import(request: HttpRequest, run_id: str) -> tuple[int, QueuedOut]:
    actor = _actor(request)
    run = get_run_for(actor, run_id)
    apply_in_background(actor, run)
    return 202, QueuedOut(run_id=run.pk, state="queued")
