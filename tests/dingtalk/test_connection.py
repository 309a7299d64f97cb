"""Connecting DingTalk, changing the settings, testing the connection step by step against the emulator,
callback credentials and disconnecting: refusals change nothing, secrets stay sealed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection as db

from harbour.audit.models import AuditEvent
from harbour.core.errors import Conflict, Forbidden, Invalid
from harbour.integrations.dingtalk.actions import connection as actions
from harbour.integrations.dingtalk.models import Connection
from tests.dingtalk_emulator import Emulator
from tests.factories import Company

pytestmark = pytest.mark.django_db


def connect_to(company: Company, emulator: Emulator, **overrides: object) -> Connection:
    assert company.admin is not None
    values: dict[str, object] = {
        "app_key": "dingappkey",
        "app_secret": "dingsecret",
        "oapi_base_url": emulator.url,
        "api_base_url": emulator.url,
    }
    return actions.connect(company.admin, **{**values, **overrides})  # type: ignore[arg-type]


def _raw(column: str) -> str:
    """The column as stored (the test's only connection)."""
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM dingtalk_connection")
        row = cursor.fetchone()
    return str(row[0])


def test_connecting_keeps_the_secret_sealed_and_logs_it(company: Company) -> None:
    assert company.admin is not None
    connection = actions.connect(company.admin, app_key="dingappkey", app_secret="s3cret-value")
    assert connection.oapi_base_url == "https://oapi.dingtalk.com"
    assert connection.state == Connection.State.NEW
    assert "s3cret-value" not in _raw("app_secret")
    assert Connection.objects.for_tenant(company.tenant).get().app_secret == "s3cret-value"
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="dingtalk.connected")
    assert "s3cret" not in str(event.after)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("app_key", ""),
        ("app_key", "has spaces"),
        ("app_secret", ""),
        ("oapi_base_url", "ftp://example.com"),
        ("qps_limit", 0),
        ("leaver_mode", "never"),
        ("sync_interval_minutes", 2),
    ],
)
def test_bad_settings_are_refused_naming_the_field(company: Company, field: str, value: object) -> None:
    assert company.admin is not None
    values: dict[str, object] = {"app_key": "dingappkey", "app_secret": "s"}
    with pytest.raises(Invalid) as refused:
        actions.connect(company.admin, **{**values, field: value})  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not Connection.objects.for_tenant(company.tenant).exists()


def test_a_company_has_one_connection_and_only_managers_connect(company: Company) -> None:
    assert company.admin is not None and company.member is not None
    actions.connect(company.admin, app_key="dingappkey", app_secret="s")
    with pytest.raises(Conflict):
        actions.connect(company.admin, app_key="other", app_secret="s")
    with pytest.raises(Forbidden):
        actions.update_connection(
            company.member, Connection.objects.for_tenant(company.tenant).get(), qps_limit=5
        )


def test_an_empty_secret_keeps_the_stored_one_and_pausing_resumes(company: Company) -> None:
    assert company.admin is not None
    connection = actions.connect(company.admin, app_key="dingappkey", app_secret="first")
    actions.update_connection(company.admin, connection, app_secret="", qps_limit=10, paused=True)
    fresh = Connection.objects.for_tenant(company.tenant).get()
    assert (fresh.app_secret, fresh.qps_limit, fresh.state) == ("first", 10, Connection.State.PAUSED)
    actions.update_connection(company.admin, fresh, paused=False, app_secret="second")
    fresh = Connection.objects.for_tenant(company.tenant).get()
    assert (fresh.app_secret, fresh.state) == ("second", Connection.State.NEW)
    changed = AuditEvent.objects.for_tenant(company.tenant).filter(kind="dingtalk.connection_changed")
    assert changed.count() == 2
    with pytest.raises(Invalid) as refused:
        actions.update_connection(company.admin, fresh, colour="blue")
    assert refused.value.field == "colour"


def test_test_connection_passes_every_step_and_reads_the_facts(
    company: Company, dingtalk_emulator: Emulator
) -> None:
    assert company.admin is not None
    dingtalk_emulator.add_user(name="Wong Ka Ming", mobile="13800000001", dept_ids=[1], admin=True)
    connection = connect_to(company, dingtalk_emulator)
    result = actions.test_connection(company.admin, connection)
    assert result.ok, result.details
    assert [label for label, _ok, _seen in result.details][:2] == ["Access token", "Root department"]
    assert all(ok for _label, ok, _seen in result.details)
    fresh = Connection.objects.for_tenant(company.tenant).get()
    assert fresh.last_test_ok is True and fresh.last_tested_at is not None
    assert fresh.facts["members"]["total"] == 1 and fresh.facts_read_at is not None
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="dingtalk.connection_tested")
    assert event.data["ok"] is True


def test_a_wrong_secret_fails_at_the_token_step(company: Company, dingtalk_emulator: Emulator) -> None:
    assert company.admin is not None
    connection = connect_to(company, dingtalk_emulator, app_secret="wrong")
    result = actions.test_connection(company.admin, connection)
    assert not result.ok
    assert result.details == [result.details[0]] and result.details[0][0] == "Access token"
    assert "AppSecret" in result.details[0][2]
    fresh = Connection.objects.for_tenant(company.tenant).get()
    assert fresh.last_test_ok is False and "Access token" in fresh.last_test_message


def test_a_missing_write_permission_is_named(
    company: Company, make_dingtalk_emulator: Callable[..., Emulator]
) -> None:
    assert company.admin is not None
    emulator = make_dingtalk_emulator(
        scopes={"qyapi_get_department_list", "qyapi_get_department_member", "qyapi_get_member"}
    )
    result = actions.test_connection(company.admin, connect_to(company, emulator))
    failed = [(label, seen) for label, ok, seen in result.details if not ok]
    assert [label for label, _seen in failed] == ["Write access (qyapi_manage_addresslist)"]
    assert "60011" in failed[0][1]


def test_callback_credentials_are_new_each_time_and_sealed(company: Company) -> None:
    assert company.admin is not None
    connection = actions.connect(company.admin, app_key="dingappkey", app_secret="s")
    token, aes_key = actions.set_callback(company.admin, connection)
    assert len(aes_key) == 43 and aes_key.isalnum() and token
    assert aes_key not in _raw("callback_aes_key")
    again = actions.set_callback(company.admin, connection)
    assert again != (token, aes_key)
    assert Connection.objects.for_tenant(company.tenant).get().callback_aes_key == again[1]
    logged = AuditEvent.objects.for_tenant(company.tenant).filter(kind="dingtalk.callback_configured")
    assert logged.count() == 2 and all(aes_key not in str(e.data) for e in logged)


def test_disconnecting_forgets_the_connection(company: Company) -> None:
    assert company.admin is not None
    connection = actions.connect(company.admin, app_key="dingappkey", app_secret="s")
    actions.disconnect(company.admin, connection)
    assert not Connection.objects.for_tenant(company.tenant).exists()
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="dingtalk.disconnected").count() == 1
