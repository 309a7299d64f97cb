"""Audit event kinds written by compliance actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("compliance.attestation_recorded", _("Compliance attestation recorded"))
register("compliance.attestation_withdrawn", _("Compliance attestation withdrawn"))
register("compliance.snapshot_taken", _("Compliance posture snapshot taken"))
register("compliance.report_generated", _("Compliance report generated"))
