"""Console URLs of the directory (namespace ``directory``)."""

from django.urls import path

from harbour.directory import views

app_name = "directory"

urlpatterns = [
    path("org/", views.org_chart, name="org_chart"),
    path("org/<uuid:department_id>/", views.department_detail, name="department"),
    path("org/<uuid:department_id>/rename/", views.department_rename, name="department_rename"),
    path("org/<uuid:department_id>/move/", views.department_move, name="department_move"),
    path("org/<uuid:department_id>/delete/", views.department_delete, name="department_delete"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<uuid:member_id>/", views.member_detail, name="member"),
    path("members/<uuid:member_id>/edit/", views.member_edit, name="member_edit"),
    path(
        "members/<uuid:member_id>/suspend/",
        views.member_change_state,
        {"change": "suspend"},
        name="member_suspend",
    ),
    path(
        "members/<uuid:member_id>/deactivate/",
        views.member_change_state,
        {"change": "deactivate"},
        name="member_deactivate",
    ),
    path("members/<uuid:member_id>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path(
        "members/<uuid:member_id>/resend-invitation/",
        views.member_resend_invitation,
        name="member_resend_invitation",
    ),
    path("members/<uuid:member_id>/grant/", views.member_grant, name="member_grant"),
    path("grants/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("roles/", views.roles, name="roles"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<uuid:role_id>/", views.role_detail, name="role"),
    path("roles/<uuid:role_id>/edit/", views.role_edit, name="role_edit"),
    path("roles/<uuid:role_id>/delete/", views.role_delete, name="role_delete"),
    path("company/", views.company, name="company"),
    path("company/edit/", views.company_edit, name="company_edit"),
    path("companies/", views.tenants, name="tenants"),
]
