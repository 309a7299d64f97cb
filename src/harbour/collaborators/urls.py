from django.urls import path

from harbour.collaborators import views

app_name = "collaborators"

urlpatterns = [
    path("collaborators/", views.collaborators_page, name="list"),
    path("collaborators/<uuid:request_id>/approve/", views.approve_page, name="approve"),
    path("collaborators/<uuid:request_id>/reject/", views.reject_page, name="reject"),
    path("collaborators/<uuid:request_id>/revoke/", views.revoke_page, name="revoke"),
    path("collaborators/<uuid:request_id>/extend/", views.extend_page, name="extend"),
    path(
        "collaborators/<uuid:request_id>/extensions/<uuid:extension_id>/approve/",
        views.approve_extension_page,
        name="approve_extension",
    ),
    path(
        "collaborators/<uuid:request_id>/extensions/<uuid:extension_id>/reject/",
        views.reject_extension_page,
        name="reject_extension",
    ),
]
