"""Console URLs of the second factors (TOTP, company devices), in the ``identity`` namespace."""

from django.urls import path

from harbour.identity import device_views, totp_views

urlpatterns = [
    path("me/security/", totp_views.security_page, name="security"),
    path("me/security/totp/setup/", totp_views.totp_setup, name="totp_setup"),
    path("me/security/totp/confirm/", totp_views.totp_confirm, name="totp_confirm"),
    path("me/security/totp/recovery-codes/", totp_views.totp_recovery_codes, name="totp_recovery_codes"),
    path("me/security/totp/disable/", totp_views.totp_disable, name="totp_disable"),
    path("members/<uuid:member_id>/totp/reset/", totp_views.member_totp_reset, name="member_totp_reset"),
    path("members/<uuid:member_id>/devices/", device_views.member_devices, name="member_devices"),
    path(
        "members/<uuid:member_id>/devices/enrol/",
        device_views.device_enrolment_create,
        name="device_enrolment_create",
    ),
    path("devices/<uuid:device_id>/revoke/", device_views.device_revoke, name="device_revoke"),
    path("devices/enrol/<str:token>/", device_views.device_enrol, name="device_enrol"),
    path("login/code/", totp_views.login_totp, name="login_totp"),
    path("login/authenticator/", totp_views.login_totp_enrol, name="login_totp_enrol"),
    path("login/device/", device_views.login_device, name="login_device"),
]
