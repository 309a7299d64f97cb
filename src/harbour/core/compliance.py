"""Where apps report how a company stands on a compliance rule (ids from the PDPO rule catalogue).

The compliance app (high up) builds the dashboard and report from these answers; the apps that hold the
evidence (policies, training, the PDPO register, incidents, retention…) sit below it and cannot import it,
so each registers a check here from its ``ready()``::

    register_check("PDPO-DPP6-DAR", requests_answered_in_time)

A check takes the company id and answers a ``Finding``. Several checks may cover one rule: the compliance
app combines them (any gap makes a gap).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    GAP = "gap"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: what it is, how many records, and where a person can look (a console path)."""

    label: str
    count: int | None = None
    path: str = ""


@dataclass(frozen=True)
class Finding:
    status: Status
    summary: str  # one sentence a person reads: "3 of 4 access requests answered within 40 days"
    evidence: list[Evidence] = field(default_factory=list)


Check = Callable[[uuid.UUID], Finding]

_CHECKS: dict[str, list[Check]] = {}


def register_check(rule_id: str, check: Check) -> None:
    """Add a check for a catalogue rule; registering the same function twice (a reloaded app) is a no-op."""
    checks = _CHECKS.setdefault(rule_id, [])
    if check not in checks:
        checks.append(check)


def checks_for(rule_id: str) -> list[Check]:
    return list(_CHECKS.get(rule_id, []))


def covered_rules() -> set[str]:
    return set(_CHECKS)
