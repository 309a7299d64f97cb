"""Writes about the DingTalk connection itself: connect an internal app, change its settings, test it, set
up the event callback and the group robot, and disconnect.

Secrets (AppSecret, callback token and AES key, robot token and secret) are stored sealed and never shown
back; the callback credentials are generated here and shown once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic, tenant_transaction
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import Actor, require_permission
from harbour.core.time import now
from harbour.integrations.dingtalk.client.errors import DingTalkError, NotFoundInDingTalk, Refused
from harbour.integrations.dingtalk.models import (
    DEFAULT_API_BASE_URL,
    DEFAULT_OAPI_BASE_URL,
    ROOT_DEPT_ID,
    Connection,
    RobotMessage,
    SyncRun,
)
from harbour.integrations.dingtalk.permission_codes import MANAGE

if TYPE_CHECKING:
    from harbour.integrations.dingtalk.client import DingTalkClient

ROBOT_TOPICS = ("incident", "announcement")
QPS_RANGE = (1, 200)
MAX_SYNC_INTERVAL = 7 * 24 * 60  # a week, in minutes
MIN_SYNC_INTERVAL = 5
APP_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
ROBOT_TOKEN = re.compile(r"^[A-Za-z0-9]{8,128}$")
TEST_TIMEOUT = 10.0  # seconds per call while testing: a test answers within the request
TEST_RETRIES = 1


@dataclass(frozen=True)
class TestResult:
    """What a connection test found: each step as (label, passed, what was seen)."""

    ok: bool
    message: str
    details: list[tuple[str, bool, str]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- validation
def _tenant(actor: Actor) -> Tenant:
    tenant = Tenant.objects.get(pk=actor.tenant_id)
    require_permission(actor, MANAGE, tenant)
    return tenant


def _app_key(value: Any) -> str:
    text = str(value or "").strip()
    if not APP_KEY.match(text):
        raise Invalid(_("enter the app's AppKey (Client ID): letters and digits, up to 64"), field="app_key")
    return text


def _app_secret(value: Any) -> str:
    text = str(value or "").strip()
    if not text or len(text) > 200 or any(c.isspace() for c in text):
        raise Invalid(
            _("enter the app's AppSecret (Client Secret), up to 200 characters"), field="app_secret"
        )
    return text


def _base_url(value: Any, default: str, name: str) -> str:
    text = str(value or "").strip().rstrip("/") or default
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise Invalid(_("%(field)s is an http(s) address") % {"field": name}, field=name) from None
    if len(text) > 200:
        raise Invalid(_("%(field)s is longer than 200 characters") % {"field": name}, field=name)
    return text


def _whole(value: Any, name: str, low: int, high: int, *, zero: bool = False) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or not (low <= number <= high or (zero and number == 0)):
        message = _("%(field)s is a whole number from %(low)d to %(high)d") % {
            "field": name,
            "low": low,
            "high": high,
        }
        if zero:
            message += " " + _("(0: only when someone asks)")
        raise Invalid(message, field=name)
    return number


def _leaver_mode(value: Any) -> str:
    if value not in Connection.LeaverMode.values:
        choices = ", ".join(Connection.LeaverMode.values)
        raise Invalid(_("leaver_mode is one of %(choices)s") % {"choices": choices}, field="leaver_mode")
    return str(value)


def _corp_id(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 64 or not re.fullmatch(r"[A-Za-z0-9_\-]*", text):
        raise Invalid(_("corp_id is DingTalk's CorpId: letters and digits, up to 64"), field="corp_id")
    return text


def _cleaned(changes: dict[str, Any]) -> dict[str, Any]:
    """Every changed value checked before anything is written (unknown names refused)."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "app_key": _app_key,
        "app_secret": _app_secret,
        "oapi_base_url": lambda v: _base_url(v, DEFAULT_OAPI_BASE_URL, "oapi_base_url"),
        "api_base_url": lambda v: _base_url(v, DEFAULT_API_BASE_URL, "api_base_url"),
        "qps_limit": lambda v: _whole(v, "qps_limit", *QPS_RANGE),
        "leaver_mode": _leaver_mode,
        "sync_interval_minutes": lambda v: _whole(
            v, "sync_interval_minutes", MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL, zero=True
        ),
        "corp_id": _corp_id,
        "paused": bool,
    }
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in cleaners:
            raise Invalid(_("%(field)s cannot be changed here") % {"field": name}, field=name)
        if name == "app_secret" and value in (None, ""):
            continue  # an empty secret keeps the one stored
        if value is None:
            continue
        cleaned[name] = cleaners[name](value)
    return cleaned


# ------------------------------------------------------------------------------------------- connect
@tenant_atomic
def connect(
    actor: Actor,
    *,
    app_key: str,
    app_secret: str,
    oapi_base_url: str | None = None,
    api_base_url: str | None = None,
    qps_limit: int = 20,
    leaver_mode: str = Connection.LeaverMode.AT_ONCE,
    sync_interval_minutes: int = 60,
) -> Connection:
    """Connect the company's DingTalk internal app. Nothing is read from DingTalk yet: test, then plan the
    adoption of its directory."""
    tenant = _tenant(actor)
    values = {
        "app_key": _app_key(app_key),
        "app_secret": _app_secret(app_secret),
        "oapi_base_url": _base_url(oapi_base_url, DEFAULT_OAPI_BASE_URL, "oapi_base_url"),
        "api_base_url": _base_url(api_base_url, DEFAULT_API_BASE_URL, "api_base_url"),
        "qps_limit": _whole(qps_limit, "qps_limit", *QPS_RANGE),
        "leaver_mode": _leaver_mode(leaver_mode),
        "sync_interval_minutes": _whole(
            sync_interval_minutes, "sync_interval_minutes", MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL, zero=True
        ),
    }
    existing = Connection.objects.for_tenant(tenant.pk).select_for_update().first()
    if existing is not None:
        raise Conflict(
            _("the company is already connected to DingTalk (AppKey %(key)s): change or disconnect it")
            % {"key": existing.app_key},
            field="app_key",
        )
    connection = Connection.objects.create(tenant_id=tenant.pk, **values)
    record(actor, "dingtalk.connected", target=connection, after=connection.snapshot())
    return connection


@tenant_atomic
def update_connection(actor: Actor, connection: Connection, **changes: Any) -> Connection:
    """Change the connection's settings; an empty ``app_secret`` keeps the stored one. ``paused`` stops the
    sync cycle (and resumes it) without disconnecting."""
    _tenant(actor)
    cleaned = _cleaned(changes)
    connection = Connection.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=connection.pk)
    before = connection.snapshot()
    secret_changed = "app_secret" in cleaned and cleaned["app_secret"] != connection.app_secret
    paused = cleaned.pop("paused", None)
    if paused is not None:
        if paused:
            cleaned["state"] = Connection.State.PAUSED
        elif connection.state == Connection.State.PAUSED:
            cleaned["state"] = Connection.State.ADOPTED if connection.adopted_at else Connection.State.NEW
    changed = [name for name, value in cleaned.items() if getattr(connection, name) != value]
    if not changed:
        return connection
    for name in changed:
        setattr(connection, name, cleaned[name])
    connection.save(update_fields=[*changed, "updated_at"])
    record(
        actor,
        "dingtalk.connection_changed",
        target=connection,
        before=before,
        after=connection.snapshot(),
        secret_changed=secret_changed,
    )
    return connection


@tenant_atomic
def disconnect(actor: Actor, connection: Connection) -> None:
    """Forget the connection with its links, runs, events and robot outbox. DingTalk itself is untouched."""
    _tenant(actor)
    connection = Connection.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=connection.pk)
    if connection.runs.filter(state=SyncRun.State.APPLYING).exists():
        raise Conflict(_("a sync run is being applied; wait until it ends, then disconnect"), field="state")
    before = connection.snapshot()
    record(actor, "dingtalk.disconnected", target=connection, before=before)
    connection.delete()


# ------------------------------------------------------------------------------------------- callback
@tenant_atomic
def set_callback(actor: Actor, connection: Connection) -> tuple[str, str]:
    """New callback token and AES key (43 characters) for DingTalk's developer console: returned once,
    stored sealed. The old ones stop working at once."""
    from harbour.integrations.dingtalk.callback_crypto import new_aes_key, new_token

    _tenant(actor)
    connection = Connection.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=connection.pk)
    replaced = callback_is_set(connection)
    token, aes_key = new_token(), new_aes_key()
    connection.callback_token = token
    connection.callback_aes_key = aes_key
    connection.save(update_fields=["callback_token", "callback_aes_key", "updated_at"])
    record(actor, "dingtalk.callback_configured", target=connection, replaced=replaced)
    return token, aes_key


def callback_address(connection: Connection) -> str:
    """Where DingTalk posts the connection's events (entered in DingTalk's developer console)."""
    return f"{settings.HARBOUR_BASE_URL.rstrip('/')}/hooks/dingtalk/{connection.pk}/"


def callback_is_set(connection: Connection) -> bool:
    """Whether DingTalk events can be received: callback credentials are set."""
    return bool(connection.callback_token and connection.callback_aes_key)


# ------------------------------------------------------------------------------------------- robot
def _robot_token(value: str) -> str:
    """The access_token, also when the whole webhook address was pasted."""
    text = str(value or "").strip()
    if "access_token=" in text:
        text = parse_qs(urlsplit(text).query).get("access_token", [""])[0]
    return text


@tenant_atomic
def set_robot(
    actor: Actor, connection: Connection, *, token: str, secret: str, topics: list[str]
) -> Connection:
    """Set (or, with an empty token, remove) the custom group robot: its webhook access_token, its signing
    secret (SEC…; empty keeps the stored one) and which topics it posts."""
    _tenant(actor)
    token = _robot_token(token)
    secret = str(secret or "").strip()
    topics = list(dict.fromkeys(topics or []))
    unknown = [t for t in topics if t not in ROBOT_TOPICS]
    if unknown:
        raise Invalid(
            _("topics are among %(choices)s") % {"choices": ", ".join(ROBOT_TOPICS)}, field="topics"
        )
    connection = Connection.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=connection.pk)
    if not token:
        if secret or topics:
            raise Invalid(
                _("enter the robot's access_token, or leave everything empty to remove it"), field="token"
            )
        secret = ""
    else:
        if not ROBOT_TOKEN.match(token):
            raise Invalid(
                _("enter the access_token from the robot's webhook address (8 to 128 letters and digits)"),
                field="token",
            )
        secret = secret or (connection.robot_secret if token == connection.robot_token else "")
        if not secret.startswith("SEC") or len(secret) > 200 or any(c.isspace() for c in secret):
            raise Invalid(
                _("enter the robot's signing secret (it starts with SEC); Harbour signs every message"),
                field="secret",
            )
    before = connection.snapshot()
    connection.robot_token, connection.robot_secret, connection.robot_topics = token, secret, topics
    connection.save(update_fields=["robot_token", "robot_secret", "robot_topics", "updated_at"])
    record(
        actor,
        "dingtalk.robot_configured",
        target=connection,
        before=before,
        after=connection.snapshot(),
        robot_set=bool(token),
    )
    return connection


@tenant_atomic
def send_test_message(actor: Actor, connection: Connection) -> RobotMessage:
    """Queue a short message for the group robot; the delivery job sends it within the robot's limit."""
    from harbour.integrations.dingtalk.robot import queue_message

    _tenant(actor)
    if not connection.robot_token:
        raise Conflict(_("set up the group robot first"), field="token")
    message = queue_message(
        connection,
        "test",
        None,
        _("Harbour test message"),
        _("This group will receive Harbour's alerts (%(topics)s).")
        % {"topics": ", ".join(connection.robot_topics) or _("no topics chosen yet")},
    )
    assert message is not None
    return message


# ------------------------------------------------------------------------------------------- testing
def _probe_client(connection: Connection) -> DingTalkClient:
    from harbour.integrations.dingtalk.sync.clients import client_for

    return client_for(connection, timeout=TEST_TIMEOUT, max_retries=TEST_RETRIES)


def _failure(exc: DingTalkError) -> str:
    return f"{exc.explanation} ({exc.code})"


def _steps(client: DingTalkClient) -> list[tuple[str, Callable[[], str], Callable[[DingTalkError], bool]]]:
    """Each probe: a label, the call (its answer says what was seen), and which refusals still mean the
    permission is there. Every call is cheap: one request, under the QPS limit."""

    def root() -> str:
        found = client.get_department(ROOT_DEPT_ID)
        return _("root department: %(name)s") % {"name": found.get("name", ROOT_DEPT_ID)}

    def departments() -> str:
        return _("%(n)d department(s) directly under the root") % {
            "n": len(client.list_sub_departments(ROOT_DEPT_ID))
        }

    def members() -> str:
        first = next(iter(client.iter_department_users(ROOT_DEPT_ID, page_size=1)), None)
        return (
            _("members readable")
            if first is not None
            else _("readable; nobody directly in the root department")
        )

    def write() -> str:
        client.update_department(ROOT_DEPT_ID)  # no field: changes nothing, only asks for write access
        return _("write access granted")

    def refused_but_permitted(exc: DingTalkError) -> bool:
        return isinstance(exc, Refused | NotFoundInDingTalk)  # DingTalk checked the permission first

    never: Callable[[DingTalkError], bool] = lambda exc: False  # noqa: E731
    return [
        (_("Root department"), root, never),
        (_("Department list (qyapi_get_department_list)"), departments, never),
        (_("Members (qyapi_get_department_member)"), members, never),
        (_("Write access (qyapi_manage_addresslist)"), write, refused_but_permitted),
    ]


def _run_probes(connection: Connection) -> list[tuple[str, bool, str]]:
    from harbour.integrations.dingtalk.facts import refresh_facts

    client = _probe_client(connection)
    try:
        client.access_token()
    except DingTalkError as exc:
        return [(_("Access token"), False, _failure(exc))]
    details = [(_("Access token"), True, _("issued"))]
    for label, call, permitted in _steps(client):
        try:
            details.append((label, True, call()))
        except DingTalkError as exc:
            if permitted(exc):
                details.append((label, True, _("write access granted")))
            else:
                details.append((label, False, _failure(exc)))
    try:
        facts = refresh_facts(connection, client=client)
    except DingTalkError as exc:
        details.append((_("Security facts"), False, _failure(exc)))
    else:
        unread = facts.get("unreadable", {})
        summary = _("%(admins)s administrator(s), %(members)s member(s)") % {
            "admins": facts.get("admins", {}).get("count", "?"),
            "members": facts.get("members", {}).get("total", "?"),
        }
        if unread:
            summary += "; " + _("not readable: %(parts)s") % {"parts": ", ".join(sorted(unread))}
        details.append((_("Security facts"), not unread, summary))
    return details


def test_connection(actor: Actor, connection: Connection) -> TestResult:
    """Ask DingTalk for a token, the root department, the scopes the connector needs and the facts the
    security baseline reads; keep each step's result on the connection and in the log."""
    _tenant(actor)
    details = _run_probes(connection)
    ok = all(passed for _label, passed, _seen in details)
    failed = [label for label, passed, _seen in details if not passed]
    message = (
        _("Connection works: every step passed.")
        if ok
        else _("Failed: %(steps)s")
        % {"steps": "; ".join(f"{label} — {seen}" for label, p, seen in details if not p)}
    )[:500]
    with tenant_transaction(actor.tenant_id):
        fresh = Connection.objects.for_tenant(actor.tenant_id).select_for_update().get(pk=connection.pk)
        fresh.last_tested_at, fresh.last_test_ok, fresh.last_test_message = now(), ok, message
        fresh.save(update_fields=["last_tested_at", "last_test_ok", "last_test_message", "updated_at"])
        record(
            actor,
            "dingtalk.connection_tested",
            target=fresh,
            ok=ok,
            failed_steps=failed,
            steps=[{"step": label, "ok": passed, "seen": seen} for label, passed, seen in details],
        )
    connection.last_tested_at, connection.last_test_ok = fresh.last_tested_at, ok
    connection.last_test_message = message
    connection.facts, connection.facts_read_at = fresh.facts, fresh.facts_read_at
    return TestResult(ok=ok, message=message, details=details)
