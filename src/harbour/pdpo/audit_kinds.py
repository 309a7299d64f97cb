"""Audit event kinds written by the PDPO register's actions."""

from django.utils.translation import gettext_lazy as _

from harbour.audit.kinds import register

register("pdpo.system_saved", _("PDPO register: system and its security record saved"))
register("pdpo.category_saved", _("PDPO register: data category saved"))
register("pdpo.notice_saved", _("PDPO register: notice draft saved"))
register("pdpo.notice_published", _("PDPO register: notice published"))
register("pdpo.notice_shown", _("PDPO register: collection statement shown to a person"))
register("pdpo.consent_recorded", _("PDPO register: consent granted or withdrawn"))
register("pdpo.tia_saved", _("PDPO register: transfer impact assessment saved"))
register("pdpo.tia_approved", _("PDPO register: transfer impact assessment approved"))
register("pdpo.gba_saved", _("PDPO register: GBA standard contract saved"))
register("pdpo.processor_saved", _("PDPO register: processor saved"))
register("pdpo.monitoring_saved", _("PDPO register: monitoring assessment saved"))
register("pdpo.monitoring_approved", _("PDPO register: monitoring assessment approved"))
register("pdpo.location_saved", _("PDPO register: data-location record saved"))
