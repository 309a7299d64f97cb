"""Role rules: department and/or title → role. A joiner is given what the rules say; a mover keeps only what
they still justify.

A rule's grant covers the department that matched it when the role is granted over a department (a
Department Manager rule for "Finance" gives the role over the member's Finance department), and is
tenant-wide otherwise. Grants a rule made are remembered (``RuleGrant``), so a move can take back exactly
those no longer justified. A move also ends department-scoped grants over a department the member has left:
managing a team one no longer sits in is not justified by anything HR says. Every change is audited by the
grant actions themselves (``grant.created`` / ``grant.revoked`` with the reason).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Invalid, NotFound
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.directory.actions import grant_role, grant_role_to_new_members, revoke_grant
from harbour.directory.models import (
    BuiltinRole,
    Department,
    Member,
    Membership,
    MemberState,
    Role,
    RoleGrant,
)
from harbour.directory.validation import clean_text
from harbour.lifecycle.models import RoleRule, RuleGrant

MOVED_REASON = "no longer justified after a move"


@dataclass(frozen=True)
class Wanted:
    rule: RoleRule
    scope: Department | None


def _tenant(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, "lifecycle.manage", tenant)
    return tenant


def rules_of(tenant_id: uuid.UUID) -> list[RoleRule]:
    return list(RoleRule.objects.for_tenant(tenant_id).select_related("department", "role"))


@tenant_atomic
def create_rule(
    actor: Actor,
    *,
    role: Role,
    department: Department | None = None,
    include_subdepartments: bool = True,
    title_contains: str = "",
) -> RoleRule:
    tenant = _tenant(actor)
    if role.tenant_id != tenant.pk:
        raise Invalid(_("no such role"), field="role_id")
    if department is not None and department.tenant_id != tenant.pk:
        raise Invalid(_("no such department"), field="department_id")
    title = clean_text(title_contains, field="title_contains", max_length=120)
    if department is None and not title:
        raise Invalid(_("a rule names a department, a title, or both"), field="department_id")
    existing = RoleRule.objects.for_tenant(tenant)
    rule = RoleRule.objects.create(
        tenant_id=tenant.pk,
        role=role,
        department=department,
        include_subdepartments=include_subdepartments,
        title_contains=title,
        position=existing.count(),
    )
    record(actor, "hr.role_rule_created", target=rule, after=rule.snapshot())
    return rule


@tenant_atomic
def delete_rule(actor: Actor, rule: RoleRule) -> None:
    """The rule goes; grants it made stay until a move or a review takes them back."""
    tenant = _tenant(actor)
    record(actor, "hr.role_rule_deleted", target=rule, before=rule.snapshot())
    RoleRule.objects.for_tenant(tenant).filter(pk=rule.pk).delete()


def get_rule_for(actor: Actor, rule_id: uuid.UUID | str) -> RoleRule:
    tenant = _tenant(actor)
    try:
        return RoleRule.objects.for_tenant(tenant).select_related("role", "department").get(pk=rule_id)
    except (RoleRule.DoesNotExist, ValueError):
        raise NotFound(_("no such rule"), field="rule_id") from None


def _matches(rule: RoleRule, department: Department | None, title: str) -> bool:
    if rule.title_contains and rule.title_contains.casefold() not in title.casefold():
        return False
    if rule.department is None:
        return True
    if department is None:
        return False
    if rule.include_subdepartments:
        return department.path.startswith(rule.department.path)
    return department.pk == rule.department_id


def wanted_grants(rules: Iterable[RoleRule], departments: list[Department], title: str) -> list[Wanted]:
    """What the rules give a member with these departments and this title (each role and scope once)."""
    wanted: dict[tuple[uuid.UUID, uuid.UUID | None], Wanted] = {}
    for rule in rules:
        places: list[Department | None] = list(departments) or [None]
        for department in places:
            if not _matches(rule, department, title):
                continue
            scope = department if rule.role.requires_scope else None
            if rule.role.requires_scope and scope is None:
                continue  # a scoped role needs a department to cover
            wanted.setdefault((rule.role_id, scope.pk if scope else None), Wanted(rule, scope))
    return list(wanted.values())


def _departments_of(member: Member) -> list[Department]:
    return [
        m.department
        for m in Membership.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .select_related("department")
        .order_by("-is_primary", "department__path")
    ]


def _live_grants(member: Member) -> list[RoleGrant]:
    return list(
        RoleGrant.objects.for_tenant(member.tenant_id)
        .filter(member=member)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
        .select_related("role", "scope")
    )


def _baseline(tenant_id: uuid.UUID) -> Role | None:
    return Role.objects.for_tenant(tenant_id).filter(builtin=BuiltinRole.GENERAL_MEMBER).first()


def _give(actor: Actor, member: Member, want: Wanted) -> RoleGrant:
    grant = grant_role(actor, member, want.rule.role, scope=want.scope, reason="role rule")
    RuleGrant.objects.create(tenant_id=member.tenant_id, rule=want.rule, grant=grant)
    return grant


@tenant_atomic
def grant_joiners(
    actor: Actor, joiners: list[tuple[Member, list[Department]]], *, rules: list[RoleRule]
) -> None:
    """Accounts an import just created: every joiner gets the General Member role (in bulk), and what the
    rules give for their department and title."""
    baseline = _baseline(actor.tenant_id)
    if baseline is not None:
        grant_role_to_new_members(actor, [member for member, _d in joiners], baseline, reason="joiner")
    for member, departments in joiners:
        for want in wanted_grants(rules, departments, member.title):
            _give(actor, member, want)


@tenant_atomic
def grant_by_rules(actor: Actor, member: Member, *, rules: list[RoleRule] | None = None) -> list[RoleGrant]:
    """Give the member the General Member role and what the rules say, where not held yet (a joiner one
    at a time; a rehire; a mover's new rights)."""
    rules = rules_of(member.tenant_id) if rules is None else rules
    if member.state == MemberState.DEACTIVATED:
        return []
    held = {(g.role_id, g.scope_id) for g in _live_grants(member)}
    made = []
    baseline = _baseline(member.tenant_id)
    if baseline is not None and (baseline.pk, None) not in held:
        made.append(grant_role(actor, member, baseline, reason="joiner"))
        held.add((baseline.pk, None))
    for want in wanted_grants(rules, _departments_of(member), member.title):
        key = (want.rule.role_id, want.scope.pk if want.scope else None)
        if key in held:
            continue
        made.append(_give(actor, member, want))
        held.add(key)
    return made


@dataclass
class RunContext:
    """What a run reads once for all its members: the rules and the General Member role."""

    rules: list[RoleRule]
    baseline: Role | None

    @classmethod
    def of(cls, tenant_id: uuid.UUID) -> RunContext:
        return cls(rules_of(tenant_id), _baseline(tenant_id))


def _named(grant: RoleGrant) -> str:
    return grant.role.name + (f" ({grant.scope.name})" if grant.scope else "")


@tenant_atomic
def recompute_after_move(
    actor: Actor,
    member: Member,
    *,
    left: Iterable[uuid.UUID] = (),
    context: RunContext | None = None,
    departments: list[Department] | None = None,
) -> dict[str, list[str]]:
    """After a department or title change: take back rule grants no longer justified and scoped grants over
    departments the member has left, then give what the rules now say. Answers what was removed and added.
    Three reads when nothing changes, whatever the rules."""
    context = context or RunContext.of(member.tenant_id)
    departments = _departments_of(member) if departments is None else departments
    move = Move(member, set(left), departments)
    return recompute_after_moves(actor, [move], context=context)[member.pk]


@dataclass
class Move:
    """A member whose department or title changed: the departments they left and those they are in now."""

    member: Member
    left: set[uuid.UUID]
    departments: list[Department]


@tenant_atomic
def recompute_after_moves(
    actor: Actor, moves: list[Move], *, context: RunContext
) -> dict[uuid.UUID, dict[str, list[str]]]:
    """``recompute_after_move`` for many members: their grants, the rule grants among them and the departments
    they left are read in three queries for all of them. Answers, per member, what was removed and added."""
    if not moves:
        return {}
    tenant_id = actor.tenant_id
    live: dict[uuid.UUID, list[RoleGrant]] = {move.member.pk: [] for move in moves}
    for grant in (
        RoleGrant.objects.for_tenant(tenant_id)
        .filter(member_id__in=list(live))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now()))
        .select_related("role", "scope")
    ):
        live[grant.member_id].append(grant)
    grant_ids = [g.pk for grants in live.values() for g in grants]
    by_rule = (
        set(
            RuleGrant.objects.for_tenant(tenant_id)
            .filter(grant_id__in=grant_ids)
            .values_list("grant_id", flat=True)
        )
        if grant_ids and context.rules  # a rule's grants go with the rule: no rules, no rule grants
        else set()
    )
    left_ids = {pk for move in moves for pk in move.left - {d.pk for d in move.departments}}
    paths = (
        dict(Department.objects.for_tenant(tenant_id).filter(pk__in=left_ids).values_list("pk", "path"))
        if left_ids
        else {}
    )
    return {
        move.member.pk: _recompute(
            actor,
            move,
            live[move.member.pk],
            by_rule,
            [paths[pk] for pk in move.left - {d.pk for d in move.departments} if pk in paths],
            context,
        )
        for move in moves
    }


def _recompute(
    actor: Actor,
    move: Move,
    live: list[RoleGrant],
    by_rule: set[Any],
    left_paths: list[str],
    context: RunContext,
) -> dict[str, list[str]]:
    member = move.member
    wanted = wanted_grants(context.rules, move.departments, member.title)
    wanted_keys = {(w.rule.role_id, w.scope.pk if w.scope else None) for w in wanted}
    removed: list[str] = []
    held: set[tuple[Any, Any]] = set()
    for grant in live:
        key = (grant.role_id, grant.scope_id)
        made_by_rule = grant.pk in by_rule and key not in wanted_keys
        over_left = grant.scope is not None and any(grant.scope.path.startswith(p) for p in left_paths)
        if made_by_rule or over_left:
            revoke_grant(actor, grant, reason=MOVED_REASON)
            removed.append(_named(grant))
        else:
            held.add(key)
    added: list[str] = []
    if context.baseline is not None and (context.baseline.pk, None) not in held:
        added.append(_named(grant_role(actor, member, context.baseline, reason="joiner")))
    for want in wanted:
        key = (want.rule.role_id, want.scope.pk if want.scope else None)
        if key not in held:
            added.append(_named(_give(actor, member, want)))
            held.add(key)
    if removed or added:
        member.forget_access()
    return {"removed": removed, "added": added}


@tenant_atomic
def drop_all_grants(actor: Actor, member: Member, *, reason: str) -> int:
    """A rehire starts with no old rights."""
    grants = _live_grants(member)
    for grant in grants:
        revoke_grant(actor, grant, reason=reason)
    return len(grants)
