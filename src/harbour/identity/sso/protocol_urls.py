"""The protocol endpoints of django-allauth's OpenID Connect and SAML providers, under ``/sso/``, and
nothing else of allauth: no account pages, no signup, no provider confirmation page. The URL names are
allauth's (its code reverses them, unnamespaced); "log in with this provider" goes to Harbour's page.

- OpenID Connect: ``/sso/oidc/<slug>/login/callback/`` (the redirect URI registered at the provider).
- SAML: ``/sso/saml/<slug>/acs/`` (and ``acs/finish/``, where allauth completes it), ``metadata/`` (the SP
  metadata, whose address is the SP entity id) and ``sls/`` (single logout from the IdP, which ends the
  session through Harbour's sign-out).
"""

from allauth.socialaccount.providers.openid_connect import views as oidc
from allauth.socialaccount.providers.saml import views as saml
from django.urls import path

from harbour.identity.sso import views

urlpatterns = [
    path("sso/oidc/<str:provider_id>/login/", views.provider_login, name="openid_connect_login"),
    path("sso/oidc/<str:provider_id>/login/callback/", oidc.callback, name="openid_connect_callback"),
    path("sso/saml/<str:organization_slug>/login/", views.provider_login, name="saml_login"),
    path("sso/saml/<str:organization_slug>/acs/", saml.acs, name="saml_acs"),
    path("sso/saml/<str:organization_slug>/acs/finish/", views.finish_acs, name="saml_finish_acs"),
    path("sso/saml/<str:organization_slug>/metadata/", saml.metadata, name="saml_metadata"),
    path("sso/saml/<str:organization_slug>/sls/", views.single_logout, name="saml_sls"),
]
