"""Console URLs of the directory (namespace ``directory``)."""

from django.urls import path

from harbour.directory.views import company, departments, members, profile, roles

app_name = "directory"

urlpatterns = [
    path("org/", departments.org_chart, name="org_chart"),
    path("org/<uuid:department_id>/", departments.department_detail, name="department"),
    path("org/<uuid:department_id>/rename/", departments.department_rename, name="department_rename"),
    path("org/<uuid:department_id>/move/", departments.department_move, name="department_move"),
    path("org/<uuid:department_id>/delete/", departments.department_delete, name="department_delete"),
    path("members/", members.members, name="members"),
    path("members/invite/", members.member_invite, name="member_invite"),
    path("members/<uuid:member_id>/", members.member_detail, name="member"),
    path("members/<uuid:member_id>/edit/", members.member_edit, name="member_edit"),
    path(
        "members/<uuid:member_id>/suspend/",
        members.member_change_state,
        {"change": "suspend"},
        name="member_suspend",
    ),
    path(
        "members/<uuid:member_id>/deactivate/",
        members.member_change_state,
        {"change": "deactivate"},
        name="member_deactivate",
    ),
    path("members/<uuid:member_id>/reactivate/", members.member_reactivate, name="member_reactivate"),
    path(
        "members/<uuid:member_id>/resend-invitation/",
        members.member_resend_invitation,
        name="member_resend_invitation",
    ),
    path("members/<uuid:member_id>/grant/", members.member_grant, name="member_grant"),
    path("grants/<uuid:grant_id>/revoke/", members.grant_revoke, name="grant_revoke"),
    path("roles/", roles.roles, name="roles"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<uuid:role_id>/", roles.role_detail, name="role"),
    path("roles/<uuid:role_id>/edit/", roles.role_edit, name="role_edit"),
    path("roles/<uuid:role_id>/delete/", roles.role_delete, name="role_delete"),
    path("company/", company.company, name="company"),
    path("company/edit/", company.company_edit, name="company_edit"),
    path("companies/", company.tenants, name="tenants"),
    path("me/", profile.my_profile, name="my_profile"),
]
