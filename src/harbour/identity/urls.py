from django.urls import path

from harbour.identity import views
from harbour.identity.factor_urls import urlpatterns as factor_urlpatterns
from harbour.identity.session_urls import urlpatterns as session_urlpatterns

app_name = "identity"

urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("switch/", views.switch_company, name="switch"),
    path("invite/<str:token>/", views.accept_invite, name="accept_invite"),
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("language/", views.set_language, name="set_language"),
    *factor_urlpatterns,
    *session_urlpatterns,
]
