"""Shared plumbing of the procurement console pages: permission guards and keyset pages."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.http import Http404

from harbour.core.errors import Invalid
from harbour.core.pagination import Page, keyset_page
from harbour.core.permissions import can
from harbour.directory.views.base import PAGE_SIZE, ConsoleRequest

VIEW = "procurement.view"
MANAGE = "procurement.manage"

T = TypeVar("T", bound=models.Model)


def require(request: ConsoleRequest, code: str) -> None:
    """Pages of procurement are company-wide: 404 unless the actor holds ``code`` for the company."""
    if not can(request.actor, code, request.tenant):
        raise Http404


def may(request: ConsoleRequest, code: str) -> bool:
    return can(request.actor, code, request.tenant)


def page_of(
    request: ConsoleRequest, qs: models.QuerySet[T], ordering: tuple[str, ...]
) -> tuple[Page[T], bool]:
    """A page from the ``cursor`` query parameter; a damaged cursor starts again from the first page."""
    cursor = request.GET.get("cursor") or None
    try:
        return keyset_page(qs, ordering, cursor, PAGE_SIZE), bool(cursor)
    except Invalid:
        return keyset_page(qs, ordering, None, PAGE_SIZE), False
