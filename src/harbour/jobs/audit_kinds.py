"""Audit event kinds written by job actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("job.retried", _("Failed background job retried"))
