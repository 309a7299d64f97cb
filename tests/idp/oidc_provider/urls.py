from __future__ import annotations

from django.urls import include, path
from oauth2_provider import urls as oauth2_urls

from . import ISSUER_PATH, views

urlpatterns = [
    path(
        ISSUER_PATH.strip("/") + "/",
        include((oauth2_urls.base_urlpatterns + oauth2_urls.oidc_urlpatterns, "oauth2_provider")),
    ),
    path("login/", views.login_view, name="login"),
    path("_admin/users", views.admin_users),
    path("_admin/redirect-uris", views.admin_redirect_uris),
]
