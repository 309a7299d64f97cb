"""Baseline rules about signing in: single sign-on, second factors, company devices."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.entitlements import Feature, has
from harbour.directory.queries import administrators
from harbour.identity.models import SsoConnection, TotpAuthenticator
from harbour.security.baseline import Context, Finding, Level, Rule, passed, register_rule


def _on_off(value: bool) -> str:
    return _("on") if value else _("off")


def _sso_connected(ctx: Context) -> Finding:
    enabled = SsoConnection.objects.for_tenant(ctx.tenant.pk).filter(enabled=True).count()
    note = (
        ""
        if has(ctx.tenant, Feature.SINGLE_SIGN_ON)
        else _("the plan has no single sign-on (Professional does)")
    )
    return passed(
        enabled > 0 and not note,
        _("%(n)d enabled connection(s)") % {"n": enabled},
        _("the company's identity provider connected"),
        note=note,
    )


def _sso_only(ctx: Context) -> Finding:
    return passed(ctx.settings.sso_only, _on_off(ctx.settings.sso_only), _("on"))


def _break_glass(ctx: Context) -> Finding:
    member_id = ctx.settings.break_glass_member_id
    admin = administrators(ctx.tenant.pk).filter(pk=member_id).first() if member_id else None
    if admin is None:
        return passed(False, _("none"), _("one administrator, with an authenticator"), warn=True)
    account_id = admin.account_id
    has_code = account_id is not None and (
        TotpAuthenticator.objects.filter(account_id=account_id, confirmed_at__isnull=False).exists()
    )
    return passed(
        has_code,
        admin.email + ("" if has_code else _(" (no authenticator)")),
        _("one administrator, with an authenticator"),
        warn=True,
    )


def _mfa_for_admins(ctx: Context) -> Finding:
    return passed(ctx.settings.mfa_for_admins, _on_off(ctx.settings.mfa_for_admins), _("on"))


def _admins_enrolled(ctx: Context) -> Finding:
    admins = list(administrators(ctx.tenant.pk).values_list("account_id", flat=True))
    enrolled = TotpAuthenticator.objects.filter(account_id__in=admins, confirmed_at__isnull=False).count()
    return passed(
        enrolled == len(admins),
        _("%(n)d of %(total)d administrators") % {"n": enrolled, "total": len(admins)},
        _("every administrator"),
    )


def _company_devices(ctx: Context) -> Finding:
    value = ctx.settings.company_devices_only
    return passed(value, _on_off(value), _("on"))


for rule in (
    Rule(
        "HB.SSO.1v1",
        gettext_lazy("The company's identity provider is connected"),
        Level.SHALL,
        _sso_connected,
        "SSO",
    ),
    Rule(
        "HB.SSO.2v1",
        gettext_lazy("Members sign in only through single sign-on"),
        Level.SHALL,
        _sso_only,
        "SSO",
    ),
    Rule(
        "HB.SSO.3v1",
        gettext_lazy("A break-glass administrator is set, with an authenticator"),
        Level.SHOULD,
        _break_glass,
        "SSO",
    ),
    Rule(
        "HB.MFA.1v1",
        gettext_lazy("Administrators must use a second factor"),
        Level.SHALL,
        _mfa_for_admins,
        "MFA",
    ),
    Rule(
        "HB.MFA.2v1",
        gettext_lazy("Every administrator has an authenticator set up"),
        Level.SHOULD,
        _admins_enrolled,
        "MFA",
    ),
    Rule(
        "HB.DEV.1v1",
        gettext_lazy("Sign-ins only from registered company devices"),
        Level.SHOULD,
        _company_devices,
        "DEV",
    ),
):
    register_rule(rule)
