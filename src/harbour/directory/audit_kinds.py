"""Audit event kinds written by directory actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("tenant.created", _("Company created"))
register("tenant.updated", _("Company profile changed"))
register("tenant.database_moved", _("Company data moved to another database"))
register("department.created", _("Department created"))
register("department.renamed", _("Department renamed"))
register("department.moved", _("Department moved or reordered"))
register("department.deleted", _("Department deleted"))
register("member.invited", _("Member invited"))
register("member.imported", _("Member created by bulk import"))
register("member.updated", _("Member details changed"))
register("member.activated", _("Member activated"))
register("member.suspended", _("Member suspended"))
register("member.reactivated", _("Member reactivated"))
register("member.deactivated", _("Member deactivated"))
register("member.invitation_resent", _("Invitation sent again"))
register("role.created", _("Role created"))
register("role.updated", _("Role changed"))
register("role.deleted", _("Role deleted"))
register("grant.created", _("Role granted"))
register("grant.revoked", _("Role revoked"))
