"""Baseline rules about the company's DingTalk tenant (``HB.DT.<n>v<version>``), read from the facts the
connector keeps on the connection (``facts.py``). What DingTalk's API does not expose is a manual check,
with the reason and where to look. Without a DingTalk connection, none of them applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.time import local, now
from harbour.integrations.dingtalk.models import Connection
from harbour.security.baseline import Context, Finding, Level, Rule, Status, passed, register_rule
from harbour.security.baseline_rules import ADMIN_FLOOR, ADMIN_SHARE_PERCENT

FACTS_MAX_AGE = dt.timedelta(days=2)  # read daily: two days leaves room for one failed night

FactsCheck = Callable[[Connection, dict[str, Any]], Finding]


def _connection(ctx: Context) -> Connection | None:
    return Connection.objects.for_tenant(ctx.tenant.pk).first()


def _not_connected() -> Finding:
    return Finding(Status.NOT_APPLICABLE, _("DingTalk is not connected"), "—")


def _read_on(connection: Connection) -> str:
    assert connection.facts_read_at is not None
    return _("as read from DingTalk on %(day)s") % {
        "day": local(connection.facts_read_at).strftime("%Y-%m-%d %H:%M")
    }


def from_facts(part: str, check: FactsCheck, expected: Callable[[], str]) -> Callable[[Context], Finding]:
    """A rule reading one part of the facts: not applicable without a connection, a warning while the part
    has not been read (never, or the app may not read it)."""

    def rule(ctx: Context) -> Finding:
        connection = _connection(ctx)
        if connection is None:
            return _not_connected()
        if connection.facts_read_at is None:
            return Finding(
                Status.WARNING,
                _("not read yet"),
                expected(),
                _("Test the DingTalk connection to read it."),
            )
        unreadable = connection.facts.get("unreadable", {})
        if part in unreadable or part not in connection.facts:
            return Finding(
                Status.WARNING,
                _("not readable (DingTalk code %(code)s)") % {"code": unreadable.get(part, "—")},
                expected(),
                _("Give the app the permission in DingTalk's developer console, then test the connection."),
            )
        finding = check(connection, connection.facts[part])
        note = f"{finding.note} {_read_on(connection)}".strip()
        return Finding(finding.status, finding.actual, finding.expected, note)

    return rule


def _admin_share(connection: Connection, admins: dict[str, Any]) -> Finding:
    members = int(connection.facts.get("members", {}).get("active") or 0)
    allowed = max(ADMIN_FLOOR, members * ADMIN_SHARE_PERCENT // 100)
    count = int(admins.get("count") or 0)
    return passed(
        count <= allowed,
        _("%(n)d administrator(s) (%(main)d main, %(sub)d sub) of %(members)d active members")
        % {"n": count, "main": admins.get("main", 0), "sub": admins.get("sub", 0), "members": members},
        _admins_expected(allowed),
    )


def _admins_expected(allowed: int | None = None) -> str:
    if allowed is None:
        return _("at most %(share)d%% of members, or %(floor)d") % {
            "share": ADMIN_SHARE_PERCENT,
            "floor": ADMIN_FLOOR,
        }
    return _("at most %(n)d (%(share)d%% of members, or %(floor)d)") % {
        "n": allowed,
        "share": ADMIN_SHARE_PERCENT,
        "floor": ADMIN_FLOOR,
    }


def _outside_domains(connection: Connection, outside: dict[str, Any]) -> Finding:
    expected = _outside_expected()
    if outside.get("count") is None:
        return Finding(
            Status.WARNING,
            _("no verified domain to compare with"),
            expected,
            _("Verify the company's email domains on the security settings page."),
        )
    count = int(outside["count"])
    note = ", ".join(outside.get("userids", [])) if count else ""
    return passed(count == 0, _("%(n)d member(s) outside") % {"n": count}, expected, note=note)


def _outside_expected() -> str:
    return _("0 DingTalk members with an address outside the verified domains")


def _leavers_present(connection: Connection, leavers: dict[str, Any]) -> Finding:
    count = int(leavers.get("count") or 0)
    note = ", ".join(leavers.get("userids", [])) if count else ""
    return passed(
        count == 0, _("%(n)d leaver(s) still in DingTalk") % {"n": count}, _leavers_expected(), note=note
    )


def _leavers_expected() -> str:
    return _("every leaver removed from DingTalk")


def _external_departments(connection: Connection, departments: dict[str, Any]) -> Finding:
    count = int(departments.get("external") or 0)
    note = ", ".join(departments.get("external_names", [])) if count else ""
    return passed(
        count == 0,
        _("%(n)d external department(s)") % {"n": count},
        _external_expected(),
        warn=True,
        note=note,
    )


def _external_expected() -> str:
    return _("no external department, or each one reviewed")


def _facts_fresh(ctx: Context) -> Finding:
    connection = _connection(ctx)
    if connection is None:
        return _not_connected()
    expected = _("read within the last %(n)d days") % {"n": FACTS_MAX_AGE.days}
    if connection.facts_read_at is None:
        return Finding(
            Status.WARNING, _("never read"), expected, _("Test the DingTalk connection to read them.")
        )
    age = now() - connection.facts_read_at
    return passed(
        age <= FACTS_MAX_AGE,
        _("read %(days)d day(s) ago") % {"days": age.days},
        expected,
        warn=True,
    )


def manual(reason: Callable[[], str], where: Callable[[], str]) -> Callable[[Context], Finding]:
    """A rule DingTalk's API cannot answer: a person checks it in DingTalk's admin console."""

    def rule(ctx: Context) -> Finding:
        if _connection(ctx) is None:
            return _not_connected()
        return Finding(Status.MANUAL, _("not readable through DingTalk's API"), where(), reason())

    return rule


RULES = (
    Rule(
        "HB.DT.1v1",
        gettext_lazy("DingTalk administrators are a small share of members"),
        Level.SHOULD,
        from_facts("admins", _admin_share, _admins_expected),
        "DT",
    ),
    Rule(
        "HB.DT.2v1",
        gettext_lazy("Every DingTalk member's email address is in the company's verified domains"),
        Level.SHALL,
        from_facts("outside_domains", _outside_domains, _outside_expected),
        "DT",
    ),
    Rule(
        "HB.DT.3v1",
        gettext_lazy("Leavers are removed from DingTalk"),
        Level.SHALL,
        from_facts("leavers_present", _leavers_present, _leavers_expected),
        "DT",
    ),
    Rule(
        "HB.DT.4v1",
        gettext_lazy("DingTalk has no unreviewed external departments"),
        Level.SHOULD,
        from_facts("departments", _external_departments, _external_expected),
        "DT",
    ),
    Rule(
        "HB.DT.5v1",
        gettext_lazy("What Harbour knows about DingTalk is recent"),
        Level.SHOULD,
        _facts_fresh,
        "DT",
    ),
    Rule(
        "HB.DT.6v1",
        gettext_lazy("DingTalk's admin console asks administrators for two-step verification"),
        Level.SHALL,
        manual(
            lambda: _("DingTalk's open API does not expose the admin console's security settings."),
            lambda: _("on, in DingTalk admin console › Security › Administrator login"),
        ),
        "DT",
    ),
    Rule(
        "HB.DT.7v1",
        gettext_lazy("DingTalk admin console sign-in is limited to the company's networks"),
        Level.SHOULD,
        manual(
            lambda: _("Login IP restrictions are set only in DingTalk's admin console; no API reads them."),
            lambda: _("the company's networks, in DingTalk admin console › Security › Login restrictions"),
        ),
        "DT",
    ),
    Rule(
        "HB.DT.8v1",
        gettext_lazy("DingTalk files cannot be shared outside the company without approval"),
        Level.SHOULD,
        manual(
            lambda: _("External sharing of DingTalk Drive files is a console setting with no read API."),
            lambda: _("external sharing off or approved, in DingTalk admin console › Drive › Security"),
        ),
        "DT",
    ),
)


def register() -> None:
    for rule in RULES:
        register_rule(rule)
