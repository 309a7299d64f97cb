"""Where apps declare the personal data they hold that a retention schedule can erase.

The retention app (schedules, the erasure job, legal holds, evidence) sits above the apps that own the
data, so each of them registers its categories here from ``ready()``::

    register_category(ErasableCategory(
        code="former_employees", label=_("Former employees"), default_days=7 * 365,
        basis=_("from the end of employment"), find_due=..., erase=...,
    ))

``find_due(tenant_id, today, days)`` answers the ids of records whose retention period has run out;
``erase(tenant_id, ids)`` erases them (delete, or scrub the personal fields of a row that must stay) inside
the caller's transaction and answers how many it erased. Both must only touch the given company.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

FindDue = Callable[[uuid.UUID, dt.date, int], Sequence[Any]]
Erase = Callable[[uuid.UUID, Sequence[Any]], int]


@dataclass(frozen=True)
class ErasableCategory:
    code: str
    label: Any  # a lazy translation
    default_days: int
    basis: Any  # what the period counts from, in words ("from the end of employment")
    find_due: FindDue
    erase: Erase
    rule_ids: tuple[str, ...] = ("PDPO-DPP2-RETENTION",)
    minimum_days: int = 0  # the law may also say "keep at least" (the s27 log book: 4 years)


_CATEGORIES: dict[str, ErasableCategory] = {}


def register_category(category: ErasableCategory) -> None:
    _CATEGORIES[category.code] = category


def categories() -> list[ErasableCategory]:
    return sorted(_CATEGORIES.values(), key=lambda c: c.code)


def category(code: str) -> ErasableCategory | None:
    return _CATEGORIES.get(code)
