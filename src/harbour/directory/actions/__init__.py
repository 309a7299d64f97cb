"""Every write to the directory. Views, API, CLI, imports and jobs call these and nothing else."""

from harbour.directory.actions.departments import (
    create_department,
    delete_department,
    move_department,
    rename_department,
)
from harbour.directory.actions.members import (
    MemberEdit,
    MemberSpec,
    accept_invitation,
    bulk_create_members,
    deactivate_member,
    invite_member,
    reactivate_member,
    resend_invitation,
    send_invitations,
    suspend_member,
    update_member,
    update_members,
    update_own_profile,
)
from harbour.directory.actions.roles import (
    create_role,
    delete_role,
    grant_role,
    grant_role_to_new_members,
    revoke_grant,
    update_role,
)
from harbour.directory.actions.tenants import create_tenant, update_tenant

__all__ = [
    "MemberEdit",
    "MemberSpec",
    "accept_invitation",
    "bulk_create_members",
    "create_department",
    "create_role",
    "create_tenant",
    "deactivate_member",
    "delete_department",
    "delete_role",
    "grant_role",
    "grant_role_to_new_members",
    "invite_member",
    "move_department",
    "reactivate_member",
    "rename_department",
    "resend_invitation",
    "revoke_grant",
    "send_invitations",
    "suspend_member",
    "update_member",
    "update_members",
    "update_own_profile",
    "update_role",
    "update_tenant",
]
