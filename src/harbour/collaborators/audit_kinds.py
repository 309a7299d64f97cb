"""Audit event kinds written by temporary collaborator actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("collaborator.requested", _("Temporary collaborator requested"))
register("collaborator.approved", _("Temporary collaborator approved and invited"))
register("collaborator.rejected", _("Temporary collaborator rejected"))
register("collaborator.withdrawn", _("Temporary collaborator request withdrawn"))
register("collaborator.revoked", _("Temporary collaborator's access ended early"))
register("collaborator.sponsor_changed", _("Temporary collaborator handed to a new sponsor"))
register("collaborator.expired", _("Temporary collaborator's access expired"))
register("collaborator.extension_requested", _("Extension of a temporary collaborator requested"))
register("collaborator.extension_approved", _("Extension of a temporary collaborator approved"))
register("collaborator.extension_rejected", _("Extension of a temporary collaborator rejected"))
register("collaborator.reminded", _("Temporary collaborator's sponsor and collaborator reminded of the end"))
