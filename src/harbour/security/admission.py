"""Corporate domain binding: with it on, only addresses of the company's verified domains hold accounts."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from harbour.core.admission import EmailCheck, register_email_rule, register_term_limit
from harbour.security.queries import settings_of, verified_domains


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def email_in_verified_domains(tenant_id: uuid.UUID, email: str) -> bool:
    return domain_of(email) in {d.lower() for d in verified_domains(tenant_id)}


def outside_bound_domains(tenant_id: uuid.UUID) -> EmailCheck:
    """With binding on, an address outside the verified domains is refused (the domains read once)."""
    if not settings_of(tenant_id).domain_binding:
        return lambda email: None
    domains = verified_domains(tenant_id)
    allowed = {d.lower() for d in domains}

    def check(email: str) -> str | None:
        if domain_of(email) in allowed:
            return None
        if not domains:
            return _("the company binds accounts to its email domains but has no verified domain yet")
        return _("only addresses of the company's verified domains (%(domains)s) may be used") % {
            "domains": ", ".join(domains)
        }

    return check


def temporary_maximum(tenant_id: uuid.UUID) -> int:
    return settings_of(tenant_id).temporary_max_days


register_email_rule(outside_bound_domains)
register_term_limit(temporary_maximum)
