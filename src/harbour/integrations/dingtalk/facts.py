"""What the security baseline knows about the company's DingTalk tenant, read through the API: its
administrators, how many members it has, members whose email lies outside the company's verified domains,
external departments, and Harbour leavers DingTalk still holds.

``read_facts`` only reads DingTalk (each part on its own: a part the app may not read is listed under
``unreadable`` with DingTalk's code); ``refresh_facts`` gives it what Harbour knows and keeps the answer on
the connection, at each connection test and once a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django_tasks import task

from harbour.core.tenancy import home_rows
from harbour.core.time import now
from harbour.directory.models import MemberState
from harbour.integrations.dingtalk.client.errors import (
    CredentialsInvalid,
    DingTalkError,
    NotFoundInDingTalk,
    ServerError,
    Throttled,
    TokenInvalid,
)
from harbour.integrations.dingtalk.models import ROOT_DEPT_ID, Connection, MemberLink
from harbour.security.queries import verified_domains

if TYPE_CHECKING:
    from harbour.integrations.dingtalk.client import DingTalkClient

logger = logging.getLogger(__name__)

LISTED = 20  # names or userids kept per fact: enough to act on, not a copy of the directory
MAX_LEAVER_CHECKS = 200
MAIN_ADMIN, SUB_ADMIN = 1, 2  # listadmin's sys_level
DIRECTORY_PARTS = ("departments", "outside_domains")  # both come from one walk of the tree
# Errors that are about the connection, not about one part: reading further would only repeat them.
FATAL = (CredentialsInvalid, TokenInvalid, ServerError, Throttled)


def _admins(client: DingTalkClient) -> dict[str, Any]:
    admins = client.list_admins()
    levels = [int(a.get("sys_level", 0)) for a in admins]
    return {
        "count": len(admins),
        "main": levels.count(MAIN_ADMIN),
        "sub": levels.count(SUB_ADMIN),
    }


def _members(client: DingTalkClient) -> dict[str, Any]:
    return {"total": client.count_users(only_active=False), "active": client.count_users(only_active=True)}


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def _directory(client: DingTalkClient, bound_domains: Sequence[str]) -> dict[str, Any]:
    """One walk of the tree: every department (its details say whether it is external) and every member's
    addresses, each member once however many departments hold them."""
    external: list[str] = []
    dept_ids = [ROOT_DEPT_ID]
    for summary in client.walk_departments(ROOT_DEPT_ID):
        dept_id = int(summary["dept_id"])
        dept_ids.append(dept_id)
        details = client.get_department(dept_id)
        if details.get("outer_dept"):
            external.append(str(details.get("name") or dept_id))
    domains = {d.lower() for d in bound_domains}
    seen: set[str] = set()
    outside: list[str] = []
    without_email = 0
    for dept_id in dept_ids:
        for user in client.iter_department_users(dept_id):
            userid = str(user.get("userid", ""))
            if not userid or userid in seen:
                continue
            seen.add(userid)
            addresses = [str(user[k]) for k in ("email", "org_email") if user.get(k)]
            if not addresses:
                without_email += 1
            elif domains and any(_domain_of(a) not in domains for a in addresses):
                outside.append(userid)
    return {
        "departments": {
            "count": len(dept_ids),
            "external": len(external),
            "external_names": external[:LISTED],
        },
        "outside_domains": {
            "count": len(outside) if domains else None,
            "userids": outside[:LISTED],
            "without_email": without_email,
            "domains": sorted(domains),
            "users_read": len(seen),
        },
    }


def _leavers(client: DingTalkClient, leaver_userids: Sequence[str]) -> dict[str, Any]:
    present = []
    checked = list(leaver_userids)[:MAX_LEAVER_CHECKS]
    for userid in checked:
        try:
            client.get_user(userid)
        except NotFoundInDingTalk:
            continue
        present.append(userid)
    return {"count": len(present), "userids": present[:LISTED], "checked": len(checked)}


def read_facts(
    client: DingTalkClient, *, bound_domains: Sequence[str] = (), leaver_userids: Sequence[str] = ()
) -> dict[str, Any]:
    """The facts, read now. ``bound_domains``: the company's verified email domains; ``leaver_userids``:
    DingTalk users whose Harbour account belongs to a leaver."""
    facts: dict[str, Any] = {"unreadable": {}}
    parts: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("admins", lambda: _admins(client)),
        ("members", lambda: _members(client)),
        ("directory", lambda: _directory(client, bound_domains)),
        ("leavers_present", lambda: _leavers(client, leaver_userids)),
    ]
    failed = 0
    for name, read in parts:
        try:
            found = read()
        except FATAL:
            raise  # nothing can be read: the caller says so
        except DingTalkError as exc:
            failed += 1
            for key in DIRECTORY_PARTS if name == "directory" else (name,):
                facts["unreadable"][key] = exc.code
            continue
        facts.update(found if name == "directory" else {name: found})
    if failed == len(parts):
        raise DingTalkError(next(iter(facts["unreadable"].values())), "no security fact could be read")
    return facts


def leaver_userids(connection: Connection) -> list[str]:
    """DingTalk users linked to a Harbour account that is deactivated or belongs to someone who left (a
    departure not followed by a rehire)."""
    left = Q(member__state=MemberState.DEACTIVATED) | Q(
        member__departures__isnull=False, member__departures__rehired_at__isnull=True
    )
    links = MemberLink.objects.for_tenant(connection.tenant_id).filter(
        left, connection=connection, removed_at__isnull=True, member__isnull=False
    )
    return sorted(set(links.values_list("userid", flat=True)))


def refresh_facts(connection: Connection, *, client: DingTalkClient | None = None) -> dict[str, Any]:
    """Read the facts and keep them on the connection (``facts``, ``facts_read_at``)."""
    if client is None:
        from harbour.integrations.dingtalk.sync.clients import client_for

        client = client_for(connection)
    facts = read_facts(
        client,
        bound_domains=verified_domains(connection.tenant_id),
        leaver_userids=leaver_userids(connection),
    )
    at = now()
    Connection.objects.for_tenant(connection.tenant_id).filter(pk=connection.pk).update(
        facts=facts, facts_read_at=at, updated_at=at
    )
    connection.facts, connection.facts_read_at = facts, at
    return facts


@task(queue_name="maintenance")
def refresh_all_facts_task() -> dict[str, Any]:
    """Daily: every company's DingTalk facts read again, so the baseline never reports on stale ones. One
    company's failure (credentials changed, DingTalk unreachable) does not stop the others."""
    connections = home_rows(row for qs in Connection.objects.in_every_database() for row in qs)
    refreshed, failed = 0, 0
    for connection in connections:
        try:
            refresh_facts(connection)
        except DingTalkError as exc:
            failed += 1
            logger.warning("DingTalk facts of company %s not read: %s", connection.tenant_id, exc)
        else:
            refreshed += 1
    return {"refreshed": refreshed, "failed": failed}
