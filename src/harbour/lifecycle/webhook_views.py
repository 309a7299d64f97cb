"""The HR webhook's endpoint: no session and no CSRF token — the signature is the credential."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from harbour.core.errors import HarbourError
from harbour.core.problems import from_error
from harbour.lifecycle.webhook import receive, verified


@csrf_exempt
@require_POST
def hr_event(request: HttpRequest, webhook_id: str) -> HttpResponse:
    try:
        webhook = verified(
            str(webhook_id),
            request.headers.get("X-Harbour-Timestamp", ""),
            request.headers.get("X-Harbour-Signature", ""),
            request.body,
        )
        return JsonResponse(receive(webhook, request.body))
    except HarbourError as exc:
        return from_error(exc)
