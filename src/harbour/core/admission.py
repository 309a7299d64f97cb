"""Who may hold a work account in a company: rules registered by apps above the directory.

The directory asks ``email_refusal`` whenever an address is about to be given an account (an invitation,
an import, a profile change, a single sign-on link); the security app registers corporate domain binding.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

EmailRule = Callable[[uuid.UUID, str], "str | None"]

_EMAIL_RULES: list[EmailRule] = []


def register_email_rule(rule: EmailRule) -> None:
    if rule not in _EMAIL_RULES:
        _EMAIL_RULES.append(rule)


def email_refusal(tenant_id: uuid.UUID, email: str) -> str | None:
    """Why ``email`` may not hold an account in the company (None: it may)."""
    for rule in _EMAIL_RULES:
        reason = rule(tenant_id, email)
        if reason:
            return reason
    return None
