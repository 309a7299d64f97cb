"""DingTalk's event callback: ``POST /hooks/dingtalk/<connection id>/?signature=&timestamp=&nonce=`` with
``{"encrypt": …}``. No session and no CSRF token — the signature (SHA-1 over our token) and the AES payload
(sealed for our AppKey, or the CorpId for legacy subscriptions) are the credentials.

Anything not proved genuine is refused with 403 and changes nothing; a push seen before (same digest of its
encrypted body) is acknowledged without being acted on twice; the answer is DingTalk's encrypted "success".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from harbour.core.problems import problem_response
from harbour.integrations.dingtalk.callback_crypto import BadCallback, CallbackCrypto
from harbour.integrations.dingtalk.models import CallbackEvent, Connection

MAX_BODY = 64 * 1024  # DingTalk's envelopes are a few hundred bytes
VERIFICATION = "check_url"  # DingTalk asks once whether the address answers, when it is saved


def _refused(detail: str) -> HttpResponse:
    return problem_response(403, _("Forbidden"), detail, slug="forbidden")


def _connection(connection_id: Any) -> Connection | None:
    """The connection named by the address, in whichever company holds it (the id is unguessable; the
    signature then proves the sender knows that company's token)."""
    return Connection.objects.across_tenants().filter(pk=connection_id).first()


def _open(
    connection: Connection, params: dict[str, str], encrypt: str
) -> tuple[CallbackCrypto, dict[str, Any]]:
    """The envelope, and the crypto that opened it (the reply is sealed with the same owner key)."""
    owners = [connection.app_key] + ([connection.corp_id] if connection.corp_id else [])
    error: BadCallback | None = None
    for owner in owners:
        crypto = CallbackCrypto(connection.callback_token, connection.callback_aes_key, owner)
        try:
            envelope = crypto.decrypt_push(params["signature"], params["timestamp"], params["nonce"], encrypt)
            return crypto, envelope
        except BadCallback as exc:
            error = exc
            if exc.reason != "owner_key":
                break
    assert error is not None
    raise error


@csrf_exempt
@require_POST
def dingtalk_event(request: HttpRequest, connection_id: Any) -> HttpResponse:
    from harbour.integrations.dingtalk.actions import sync as sync_actions

    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY:
        return problem_response(
            413,
            _("Payload too large"),
            _("the event is larger than %(kb)d KB") % {"kb": MAX_BODY // 1024},
            slug="too-large",
        )
    connection = _connection(connection_id)
    if connection is None or not (connection.callback_token and connection.callback_aes_key):
        return _refused(_("no DingTalk callback is set up at this address"))
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    encrypt = body.get("encrypt") if isinstance(body, dict) else None
    params = {name: request.GET.get(name, "") for name in ("signature", "timestamp", "nonce")}
    if not isinstance(encrypt, str) or not encrypt or not all(params.values()):
        return _refused(_("the body is {'encrypt': …}; the address has signature, timestamp and nonce"))
    try:
        crypto, envelope = _open(connection, params, encrypt)
    except BadCallback as exc:
        return _refused(str(exc.explanation))
    if envelope.get("EventType") != VERIFICATION:
        digest = hashlib.sha256(encrypt.encode()).hexdigest()
        seen = CallbackEvent.objects.for_tenant(connection.tenant_id).filter(digest=digest).exists()
        if not seen:
            # The same push delivered twice at once: the other request handles it.
            with contextlib.suppress(IntegrityError):
                sync_actions.handle_event(connection, envelope, digest=digest)
    return JsonResponse(crypto.reply("success"))
