"""The security baseline: versioned rules, each comparing one setting of the company with the
recommended configuration.

A rule id names the area, a number and the rule's version (``HB.SSO.1v1``): a rule whose meaning changes
gets a new version, so an old report and an exception granted against it stay readable. Apps register the
rules about what they own (``register_rule``): the security app its settings, identity single sign-on,
second factors and devices; the DingTalk connector will add rules read through DingTalk's API.
"""

from __future__ import annotations

import csv
import enum
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise

from harbour.core.models import Tenant
from harbour.core.time import now
from harbour.security.models import BaselineException, SecuritySettings
from harbour.security.queries import settings_of


class Level(enum.StrEnum):
    SHALL = "SHALL"
    SHOULD = "SHOULD"


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a result, not a password)
    FAIL = "fail"
    WARNING = "warning"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"  # not readable by Harbour: a person checks it; the note says where and why


WEIGHTS = {Level.SHALL: 2, Level.SHOULD: 1}


@dataclass(frozen=True)
class Finding:
    status: Status
    actual: str
    expected: str
    note: str = ""


@dataclass(frozen=True)
class Context:
    """What every rule may read, loaded once per report."""

    tenant: Tenant
    settings: SecuritySettings


@dataclass(frozen=True)
class Rule:
    id: str
    title: Promise | str
    level: Level
    check: Callable[[Context], Finding]
    area: str = ""


@dataclass
class Result:
    rule: Rule
    finding: Finding
    exception: BaselineException | None = None

    @property
    def accepted(self) -> bool:
        """A failing or warning rule with a live exception counts as an accepted deviation."""
        return self.exception is not None and self.finding.status in (Status.FAIL, Status.WARNING)

    @property
    def counts(self) -> bool:
        """Rules that do not apply, and manual checks Harbour cannot read, stay out of the score."""
        return self.finding.status not in (Status.NOT_APPLICABLE, Status.MANUAL)

    @property
    def met(self) -> bool:
        return self.finding.status == Status.PASS or self.accepted


@dataclass
class Report:
    tenant: Tenant
    results: list[Result] = field(default_factory=list)

    @property
    def score(self) -> int:
        """Weighted share of applicable rules met (SHALL counts twice), 0-100."""
        total = sum(WEIGHTS[r.rule.level] for r in self.results if r.counts)
        met = sum(WEIGHTS[r.rule.level] for r in self.results if r.counts and r.met)
        return round(100 * met / total) if total else 100

    def tally(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.finding.status.value] += 1
        counts["accepted"] = sum(1 for r in self.results if r.accepted)
        return counts


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> None:
    existing = _RULES.get(rule.id)
    if existing is not None and existing.check is not rule.check:
        raise ValueError(f"baseline rule {rule.id} is registered twice")
    _RULES[rule.id] = rule


def rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: _sort_key(r.id))


def _sort_key(rule_id: str) -> tuple[str, int, str]:
    parts = rule_id.split(".")
    number, _v, version = parts[-1].partition("v")
    return (".".join(parts[:-1]), int(number) if number.isdigit() else 0, version)


def rule_ids() -> set[str]:
    return set(_RULES)


def live_exceptions(tenant_id: uuid.UUID) -> dict[str, BaselineException]:
    found = BaselineException.objects.for_tenant(tenant_id).filter(
        revoked_at__isnull=True, expires_at__gt=now()
    )
    return {e.rule_id: e for e in found.order_by("expires_at")}


def evaluate(tenant: Tenant) -> Report:
    """Run every rule against the company now."""
    context = Context(tenant=tenant, settings=settings_of(tenant.pk))
    exceptions = live_exceptions(tenant.pk)
    report = Report(tenant=tenant)
    for rule in rules():
        report.results.append(Result(rule, rule.check(context), exceptions.get(rule.id)))
    return report


def passed(ok: bool, actual: str, expected: str, *, warn: bool = False, note: str = "") -> Finding:
    """A pass, or a fail (a warning for ``warn``) with what was found and what is recommended."""
    if ok:
        return Finding(Status.PASS, actual, expected, note)
    return Finding(Status.WARNING if warn else Status.FAIL, actual, expected, note)


def report_rows(report: Report) -> list[dict[str, str]]:
    """One flat row per rule: what the JSON and CSV outputs carry."""
    rows = []
    for result in report.results:
        exception = result.exception
        rows.append(
            {
                "rule_id": result.rule.id,
                "level": result.rule.level.value,
                "title": str(result.rule.title),
                "result": result.finding.status.value,
                "actual": result.finding.actual,
                "expected": result.finding.expected,
                "note": result.finding.note,
                "exception": "yes" if result.accepted else "",
                "exception_rationale": exception.rationale if exception else "",
                "exception_expires_at": exception.expires_at.isoformat() if exception else "",
            }
        )
    return rows


CSV_COLUMNS = [
    "rule_id",
    "level",
    "title",
    "result",
    "actual",
    "expected",
    "note",
    "exception",
    "exception_rationale",
    "exception_expires_at",
]


def csv_lines(report: Report) -> Iterator[str]:
    """The report as CSV text, a line at a time (a streamed download)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in report_rows(report):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
