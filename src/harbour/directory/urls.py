from django.urls import path

from harbour.directory import views

app_name = "directory"

urlpatterns = [
    path("org/", views.org_chart, name="org_chart"),
    path("members/", views.members, name="members"),
    path("roles/", views.roles, name="roles"),
    path("company/", views.company, name="company"),
    path("companies/", views.tenants, name="tenants"),
]
