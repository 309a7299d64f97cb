"""Second factors at start-up: the sign-in step pages of TOTP and company devices, and the security
settings checks that keep an administrator from locking themself out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.identity import devices, login, policy, totp
from harbour.security.actions import register_settings_check
from harbour.security.incidents import register_evidence_labels


def register() -> None:
    login.register_step(policy.FACTOR_TOTP_ENROLMENT, "identity:login_totp_enrol")
    login.register_step(policy.FACTOR_TOTP, "identity:login_totp")
    login.register_step(policy.FACTOR_DEVICE, "identity:login_device")
    register_settings_check(totp.check_mfa_for_admins)
    register_settings_check(devices.check_company_devices_only)
    register_evidence_labels(
        {devices.CLONE_EVIDENCE: _("A device's signature counter went backwards (copied key?)")}
    )
