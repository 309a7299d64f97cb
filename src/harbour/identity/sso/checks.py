"""What single sign-on registers with the apps below it (imported once, from ``IdentityConfig.ready``):

- the security settings check: SSO only may be switched on only while an enabled connection has already
  signed somebody in to the company, so the switch cannot lock everybody out;
- the downgrade preview's line about connections that stop working without the SSO entitlement.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from harbour.core.entitlements import Feature, register_dependent
from harbour.core.models import Tenant
from harbour.core.permissions import Actor
from harbour.identity.sso.queries import connections_of, proven_connections
from harbour.security.actions import register_settings_check
from harbour.security.models import SecuritySettings
from harbour.security.queries import settings_of


def sso_only_needs_a_working_connection(actor: Actor, proposed: SecuritySettings) -> tuple[str, str] | None:
    if not proposed.sso_only or settings_of(actor.tenant_id).sso_only:
        return None  # not being switched on
    enabled = list(connections_of(actor.tenant_id).filter(enabled=True).values_list("pk", flat=True))
    if not enabled:
        return "sso_only", _("connect and enable an identity provider before switching on SSO only")
    if not proven_connections(actor.tenant_id, enabled):
        return "sso_only", _(
            "sign in once through an enabled single sign-on connection before switching on SSO only, "
            "so you know it works"
        )
    return None


def describe_sso_dependence(tenant: Tenant) -> str | None:
    count = connections_of(tenant.pk).filter(enabled=True).count()
    if not count:
        return None
    return ngettext(
        "%(count)d single sign-on connection will stop signing people in",
        "%(count)d single sign-on connections will stop signing people in",
        count,
    ) % {"count": count}


register_settings_check(sso_only_needs_a_working_connection)
register_dependent(Feature.SINGLE_SIGN_ON, describe_sso_dependence)
