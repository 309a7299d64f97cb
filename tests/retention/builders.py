"""Former employees and ended collaborators for the retention tests, made through the real lifecycle."""

from __future__ import annotations

import datetime as dt
import itertools

from harbour.core.time import now
from harbour.directory.actions import update_member
from harbour.directory.models import Member, MemberState
from harbour.identity.tokens import create_api_token
from harbour.lifecycle.leavers import deactivate_departed, freeze_leaver
from harbour.retention import actions
from tests.factories import Company, make_member

_n = itertools.count(1)


def _domain(company: Company) -> str:
    assert company.admin is not None
    return company.admin.email.split("@", 1)[1]


def leaver(company: Company, left_on: dt.date, *, name: str = "") -> Member:
    """A member with a mobile, title, hire date and an API token who left on ``left_on`` and whose account
    was deactivated after the grace period."""
    i = next(_n)
    name = name or f"Leaver {i}"
    member = make_member(
        company,
        name=name,
        email=f"leaver{i}@{_domain(company)}",
        departments=[company.departments["accounts"]],
    )
    update_member(
        company.system,
        member,
        mobile=f"+852 6123 45{i % 100:02d}",
        title="Clerk",
        hire_date=dt.date(2010, 1, 4),
    )
    member.name_zh = "陳大文"
    member.save(update_fields=["name_zh"])
    create_api_token(member, member, name="laptop", days=30)
    freeze_leaver(company.system, member, left_on=left_on, reason="resigned")
    deactivate_departed(company.tenant.pk, today=left_on + dt.timedelta(days=60))
    member.refresh_from_db()
    assert member.state == MemberState.DEACTIVATED
    return member


def ended_collaborator(company: Company, ended_days_ago: int) -> Member:
    i = next(_n)
    member = make_member(
        company, name=f"Consultant {i}", email=f"consultant{i}@{_domain(company)}", role=None, with_login=True
    )
    ended = now() - dt.timedelta(days=ended_days_ago)
    Member.objects.for_tenant(company.tenant).filter(pk=member.pk).update(
        is_external=True, access_expires_at=ended, state=MemberState.SUSPENDED, state_changed_at=ended
    )
    member.refresh_from_db()
    return member


def enable(company: Company, code: str = "former_employees", days: int | None = None) -> None:
    actions.update_schedule(company.system, code, days=days, enabled=True)
