"""Keyset (cursor) pagination: stable under inserts, constant cost at any depth."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from harbour.core.errors import Invalid

T = TypeVar("T", bound=models.Model)

MAX_PAGE_SIZE = 500


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    # The query that selected ``items``, for loading their related rows with a subquery rather than a
    # list of ids (hundreds of bound parameters cost more than the join).
    query: models.QuerySet[T] | None = None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([str(v) if v is not None else None for v in values]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, fields: list[models.Field[Any, Any]]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(raw, list) or len(raw) != len(fields):
            raise ValueError("shape")
        return [None if v is None else f.to_python(v) for f, v in zip(fields, raw, strict=True)]
    except Exception as exc:  # any malformed cursor is the caller's mistake, not ours
        raise Invalid(_("the cursor is not one this API issued"), field="cursor") from exc


def keyset_page(qs: models.QuerySet[T], ordering: tuple[str, ...], cursor: str | None, limit: int) -> Page[T]:
    """One page of ``qs`` ordered ascending by ``ordering`` (which must end with a unique field)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(_("limit must be between 1 and %(max)d") % {"max": MAX_PAGE_SIZE}, field="limit")
    model = qs.model
    fields = [model._meta.get_field(name) for name in ordering]
    if not all(isinstance(f, models.Field) for f in fields):
        raise ValueError("keyset ordering must name concrete fields")
    concrete: list[models.Field[Any, Any]] = [f for f in fields if isinstance(f, models.Field)]
    qs = qs.order_by(*ordering)
    if cursor:
        last = _decode(cursor, concrete)
        condition = models.Q()
        for i, name in enumerate(ordering):
            step = models.Q(**{f"{name}__gt": last[i]})
            for j in range(i):
                step &= models.Q(**{ordering[j]: last[j]})
            condition |= step
        # The leading ">=" is implied by the OR above but is what lets the database start the index scan
        # at the cursor instead of filtering every earlier row: constant cost at any depth.
        qs = qs.filter(models.Q(**{f"{ordering[0]}__gte": last[0]}), condition)
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode([getattr(rows[-1], f.attname) for f in concrete]) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor, query=qs[:limit])
