"""The baseline rules about the company's own security settings (identity adds sign-in rules)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.audit.models import AuditPolicy
from harbour.audit.retention import policy_of
from harbour.directory.models import Member, MemberState
from harbour.directory.queries import administrators
from harbour.security.baseline import Context, Finding, Level, Rule, Status, passed, register_rule
from harbour.security.models import DEFAULT_SESSION_MINUTES, DEFAULT_TEMPORARY_DAYS
from harbour.security.queries import verified_domains

ADMIN_SHARE_PERCENT = 5  # administrators at most 5 % of active members …
ADMIN_FLOOR = 3  # … but a small company may always have up to 3


def _on_off(value: bool) -> str:
    return _("on") if value else _("off")


def _external_auto_join(ctx: Context) -> Finding:
    return passed(not ctx.settings.external_auto_join, _on_off(ctx.settings.external_auto_join), _("off"))


def _audit_retention(ctx: Context) -> Finding:
    days = policy_of(ctx.tenant.pk).retention_days
    minimum = AuditPolicy.MINIMUM_DAYS
    return passed(days >= minimum, _("%(n)d days") % {"n": days}, _("at least %(n)d days") % {"n": minimum})


def _domain_binding(ctx: Context) -> Finding:
    domains = verified_domains(ctx.tenant.pk)
    actual = _("%(state)s, %(n)d verified domain(s)") % {
        "state": _on_off(ctx.settings.domain_binding),
        "n": len(domains),
    }
    return passed(bool(ctx.settings.domain_binding and domains), actual, _("on, with a verified domain"))


def _no_outside_members(ctx: Context) -> Finding:
    domains = verified_domains(ctx.tenant.pk)
    if not domains:
        return Finding(Status.FAIL, _("no verified domain"), _("0 members outside the verified domains"))
    inside = Q()
    for domain in domains:
        inside |= Q(email__iendswith="@" + domain)
    outside = (
        Member.objects.for_tenant(ctx.tenant.pk)
        .exclude(state=MemberState.DEACTIVATED)
        .exclude(inside)
        .count()
    )
    return passed(
        outside == 0,
        _("%(n)d member(s) outside") % {"n": outside},
        _("0 members outside the verified domains"),
    )


def _temporary_term(ctx: Context) -> Finding:
    days = ctx.settings.temporary_max_days
    return passed(
        days <= DEFAULT_TEMPORARY_DAYS,
        _("%(n)d days") % {"n": days},
        _("at most %(n)d days") % {"n": DEFAULT_TEMPORARY_DAYS},
    )


def _admin_share(ctx: Context) -> Finding:
    active = Member.objects.for_tenant(ctx.tenant.pk).filter(state=MemberState.ACTIVE).count()
    admins = administrators(ctx.tenant.pk).count()
    allowed = max(ADMIN_FLOOR, active * ADMIN_SHARE_PERCENT // 100)
    return passed(
        admins <= allowed,
        _("%(admins)d administrators of %(active)d active members") % {"admins": admins, "active": active},
        _("at most %(n)d (%(share)d%% of members, or %(floor)d)")
        % {"n": allowed, "share": ADMIN_SHARE_PERCENT, "floor": ADMIN_FLOOR},
    )


def _networks(ctx: Context) -> Finding:
    networks = list(ctx.settings.allowed_networks)
    return passed(
        bool(networks),
        _("%(n)d network(s) listed") % {"n": len(networks)},
        _("the company's networks listed"),
        warn=True,
    )


def _session_lifetime(ctx: Context) -> Finding:
    minutes = ctx.settings.session_lifetime_minutes
    return passed(
        minutes <= DEFAULT_SESSION_MINUTES,
        _("%(n)d minutes") % {"n": minutes},
        _("at most %(n)d minutes") % {"n": DEFAULT_SESSION_MINUTES},
    )


for rule in (
    Rule(
        "HB.ADM.1v1",
        gettext_lazy("Administrators are a small share of members"),
        Level.SHOULD,
        _admin_share,
        "ADM",
    ),
    Rule(
        "HB.EXT.1v1",
        gettext_lazy("External people cannot join groups automatically"),
        Level.SHALL,
        _external_auto_join,
        "EXT",
    ),
    Rule(
        "HB.LOG.1v1",
        gettext_lazy("The operation log is kept at least 90 days"),
        Level.SHALL,
        _audit_retention,
        "LOG",
    ),
    Rule(
        "HB.DOM.1v1",
        gettext_lazy("Accounts are bound to the company's verified domains"),
        Level.SHALL,
        _domain_binding,
        "DOM",
    ),
    Rule(
        "HB.DOM.2v1",
        gettext_lazy("No member's address is outside the verified domains"),
        Level.SHALL,
        _no_outside_members,
        "DOM",
    ),
    Rule(
        "HB.TMP.1v1",
        gettext_lazy("Temporary collaborators get at most 7 days"),
        Level.SHALL,
        _temporary_term,
        "TMP",
    ),
    Rule("HB.NET.1v1", gettext_lazy("The company's networks are listed"), Level.SHOULD, _networks, "NET"),
    Rule(
        "HB.SES.1v1",
        gettext_lazy("Sessions end within a working day"),
        Level.SHOULD,
        _session_lifetime,
        "SES",
    ),
):
    register_rule(rule)
