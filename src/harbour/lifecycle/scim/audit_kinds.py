"""Audit event kinds of SCIM provisioning tokens (the accounts SCIM changes are audited by the directory
and lifecycle actions it calls)."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("scim.token_created", _("SCIM provisioning token created"))
register("scim.token_revoked", _("SCIM provisioning token revoked"))
