"""Audit event kinds written by data access and correction request actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("data_request.received", _("Data request recorded"))
register("data_request.delay_notice_sent", _("Data request: notice of delay sent"))
register("data_request.access_completed", _("Data access request completed"))
register("data_request.corrected", _("Data correction request completed: data corrected"))
register("data_request.refused", _("Data request refused (log-book entry written)"))
register("data_request.withdrawn", _("Data request withdrawn"))
register("data_request.reminded", _("Data request handlers reminded of the 40-day deadline"))
register("data_request.erased", _("Closed data requests erased by the retention schedule"))
register("data_request.disclosure_recorded", _("Disclosure to a third party recorded"))
register("data_request.log_book_exported", _("Refusal log book exported"))
register("data_request.log_book_erased", _("Refusal log-book entries erased by the retention schedule"))
