"""Single sign-on pages (namespace ``sso``): signing in through a company's provider, and the console pages
of connections under ``/security/sso/``."""

from django.urls import path

from harbour.identity.sso import views

app_name = "sso"

urlpatterns = [
    path("login/sso/", views.sign_in, name="sign_in"),
    path("login/sso/<slug:slug>/", views.start, name="start"),
    path("security/sso/", views.connections, name="connections"),
    path("security/sso/new/", views.connection_choose, name="connection_choose"),
    path("security/sso/new/<slug:kind>/", views.connection_create, name="connection_create"),
    path("security/sso/<uuid:connection_id>/", views.connection_detail, name="connection"),
    path("security/sso/<uuid:connection_id>/edit/", views.connection_edit, name="connection_edit"),
    path("security/sso/<uuid:connection_id>/enable/", views.connection_enable, name="connection_enable"),
    path("security/sso/<uuid:connection_id>/disable/", views.connection_disable, name="connection_disable"),
    path("security/sso/<uuid:connection_id>/delete/", views.connection_delete, name="connection_delete"),
]
