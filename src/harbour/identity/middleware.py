"""Request → tenant: a signed-in account works as one of its memberships at a time."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from harbour.core.databases import forget_placements
from harbour.identity.sessions import resolve_actor


class ActorMiddleware:
    """Sets ``request.actor`` (the Member acting, or None) and ``request.tenant``.

    The member's state is read on every request, so suspending an account ends its sessions at once.
    Times on the pages are shown in the company's time zone (Asia/Hong_Kong unless it says otherwise).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.tenant = None  # type: ignore[attr-defined]
        forget_placements()  # where each company's data lives is read afresh by every request
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            member = resolve_actor(request)
            if member is not None:
                request.actor = member  # type: ignore[attr-defined]
                request.tenant = member.tenant  # type: ignore[attr-defined]
                timezone.activate(ZoneInfo(member.tenant.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
