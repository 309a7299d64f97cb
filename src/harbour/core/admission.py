"""Who may hold a work account in a company: rules registered by apps above the directory.

The directory asks before an address is given an account (an invitation, an import, a profile change, a
single sign-on link); the security app registers corporate domain binding. A rule is a factory: it reads
what it needs about the company once and answers a checker, so an import of 100,000 rows asks the database
once, not per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

EmailCheck = Callable[[str], "str | None"]  # an address → why it may not hold an account (None: it may)
EmailRule = Callable[[uuid.UUID], EmailCheck]

_EMAIL_RULES: list[EmailRule] = []


def register_email_rule(rule: EmailRule) -> None:
    if rule not in _EMAIL_RULES:
        _EMAIL_RULES.append(rule)


def email_checker(tenant_id: uuid.UUID) -> EmailCheck:
    """Every registered rule, prepared for one company."""
    checks = [rule(tenant_id) for rule in _EMAIL_RULES]

    def refusal(email: str) -> str | None:
        for check in checks:
            reason = check(email)
            if reason:
                return reason
        return None

    return refusal


def email_refusal(tenant_id: uuid.UUID, email: str) -> str | None:
    """Why ``email`` may not hold an account in the company (None: it may)."""
    return email_checker(tenant_id)(email)


# The longest term a temporary (external) collaborator's access may run, in days; None: no limit.
TermLimit = Callable[[uuid.UUID], "int | None"]
_TERM_LIMITS: list[TermLimit] = []


def register_term_limit(limit: TermLimit) -> None:
    if limit not in _TERM_LIMITS:
        _TERM_LIMITS.append(limit)


def temporary_term_days(tenant_id: uuid.UUID) -> int | None:
    found = [days for limit in _TERM_LIMITS if (days := limit(tenant_id)) is not None]
    return min(found) if found else None
