"""An offline DingTalk server for tests (section 13 of the DingTalk API reference), on one HTTP port serving
both hosts' paths: legacy ``oapi.dingtalk.com`` (``/gettoken``, ``/topapi/...``, ``/robot/send``) and new
``api.dingtalk.com`` (``/v1.0/...``, reachable by the official SDK with ``Config(protocol='http',
endpoint='127.0.0.1:PORT')``).

Reproduces:
- both token endpoints and their shapes; one token per app, re-issued unchanged (and extended) while valid,
  valid on both hosts; bad credentials → 40096 (HTTP 200) / 400 ``invalidClientIdOrSecret``;
- authentication per family: oapi reads only ``?access_token`` (missing → 88/40000; invalid or expired →
  88/40014 — the reference's observed form, so ``expire_tokens()`` yields 40014, not 42001); api reads only
  the ``x-acs-dingtalk-access-token`` header (missing → 400 ``AuthenticationFailed.MissingParameter``,
  invalid or expired → 400 ``InvalidAuthentication``); an unknown oapi path → errcode 22;
- the envelopes: oapi HTTP 200 ``{errcode, errmsg, result | other keys, request_id}`` (``result`` is an
  array for ``listsub`` and ``listadmin``), api a bare body or ``{code, message, requestid}`` with 4xx/5xx;
  empty optional fields omitted;
- departments, users, roles and admins with the rules and errcodes of §2.5 (root immutable, parents, unique
  sibling names, depth limit, delete guards, unique userid/mobile/email/telephone, comma-string id lists in
  and int arrays out, mobile not updatable, deletes leaving a leave record ``oapi``); paging of each kind;
- per-app scopes (88/60011 / 403 ``AccessTokenPermissionDenied``) and the contact visibility range
  (50002/50004);
- throttling: a sliding one-second window per app per API (88/90018 / 403 ``QpsLimitForAppkeyAndApi``), an
  optional monthly quota with the contacts exemption (88/90020 / 403 ``ApiCountLimitForOrg``);
- the custom robot (sign, ±1 h timestamp, keywords, IP whitelist → 310000; msgtype; 20/min then a ten-minute
  penalty → 660026; ``msgUuid`` idempotency);
- events on every API mutation (PascalCase envelopes), pushed with DingTalk's callback encryption to a
  callback URL from a background thread, failed pushes listed by ``/call_back/get_call_back_failed_result``;
- shape-level stubs (§13.11) in ``stubs``.

Beyond seeding and inspection, tests can make DingTalk-side changes (``leave``, ``push_event``,
``add_role``), wait for pushes (``wait_for_pushes``), inject failures (``fail_next``), expire tokens, and
change limits, scopes and the visibility range on a running emulator (``qps_per_api``, ``scopes``,
``visible_dept_ids``).

Leaves out: the Stream mode gateway (WebSocket), login-free identity, the per-IP ban, the global per-API
throttle (90002), ``querydimission``, ``owning_member_count``, languages, real personal-information scope
names (the emulator's own ``Contact.User.mobile``/``Contact.User.email`` gate those fields), and every
product API not listed above. Error messages are English stand-ins: match on codes, never on messages.

"""

from tests.dingtalk_emulator.emulator import Emulator
from tests.dingtalk_emulator.gateway import CallRecord

__all__ = ["CallRecord", "Emulator"]
