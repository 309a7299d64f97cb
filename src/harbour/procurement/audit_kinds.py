"""Audit event kinds written by procurement actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("reseller.created", _("Reseller recorded"))
register("reseller.updated", _("Reseller details changed"))
register("reseller.certificate_verified", _("Reseller's authorisation certificate verified"))
register("reseller.sla_recorded", _("Reseller's SLA document recorded"))
register("file.downloaded", _("Document downloaded"))
register("partner_list.imported", _("Official partner list imported"))
register("quote.created", _("Quote recorded"))
register("quote.updated", _("Quote changed"))
register("quote.support_test_recorded", _("Support-response test recorded"))
register("quote.verdict_proposed", _("Purchase verdict proposed"))
register("quote.signed_off", _("Purchase verdict signed off"))
register("quote.approved", _("Purchase approved"))
register("quote.rejected", _("Purchase rejected"))
