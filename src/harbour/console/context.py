"""Template context every console page gets: the actor, their companies and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from harbour.console.navigation import navigation_for
from harbour.core.models import Account
from harbour.identity.sessions import usable_memberships


def console(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    account = getattr(request, "user", None)
    if not isinstance(account, Account):
        return {"actor": None}
    return {
        "actor": actor,
        "current_tenant": getattr(request, "tenant", None),
        "my_memberships": lambda: list(usable_memberships(account)),
        "navigation": navigation_for(actor, account, request.path),
    }
