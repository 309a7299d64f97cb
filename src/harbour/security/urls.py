from django.urls import path

from harbour.security import views

app_name = "security"

urlpatterns = [
    path("security/", views.settings_page, name="settings"),
    path("security/domains/", views.domains_page, name="domains"),
    path("security/domains/check/", views.domain_check, name="domain_check"),
    path("security/domains/override/", views.domain_override, name="domain_override"),
    path("security/domains/remove/", views.domain_remove, name="domain_remove"),
    path("security/domains/outside/", views.outside_members, name="outside_members"),
    path("security/baseline/", views.baseline_page, name="baseline"),
    path("security/baseline.csv", views.baseline_csv, name="baseline_csv"),
    path(
        "security/baseline/exceptions/<uuid:exception_id>/revoke/",
        views.exception_revoke,
        name="exception_revoke",
    ),
]
