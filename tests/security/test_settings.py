"""The security settings: one page and one API, each change audited with before and after, bad input
refused naming the field with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.audit.retention import policy_of
from harbour.core.errors import Invalid
from harbour.core.time import now
from harbour.security.actions import update_settings
from harbour.security.queries import settings_of
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def test_defaults_are_the_recommended_ones(company: Company) -> None:
    settings = settings_of(company.tenant.pk)
    assert settings.external_auto_join is False
    assert settings.temporary_max_days == 7
    assert settings.session_lifetime_minutes == 12 * 60


def test_a_change_is_audited_with_before_and_after(company: Company) -> None:
    update_settings(
        company.admin,
        {
            "allowed_networks": ["203.0.113.7", "198.51.100.0/24"],
            "temporary_max_days": 3,
            "working_days": [0, 1],
        },
    )
    event = AuditEvent.objects.for_tenant(company.tenant).filter(kind="security.settings_changed").get()
    assert event.before == {"allowed_networks": [], "temporary_max_days": 7, "working_days": [0, 1, 2, 3, 4]}
    assert event.after == {
        "allowed_networks": ["203.0.113.7/32", "198.51.100.0/24"],
        "temporary_max_days": 3,
        "working_days": [0, 1],
    }
    update_settings(company.admin, {"temporary_max_days": 3})  # no change, no event
    assert AuditEvent.objects.for_tenant(company.tenant).filter(kind="security.settings_changed").count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"allowed_networks": ["10.0.0.0/8", "not-a-network"]}, "allowed_networks"),
        ({"session_lifetime_minutes": 1}, "session_lifetime_minutes"),
        ({"temporary_max_days": 0}, "temporary_max_days"),
        ({"working_days": [7]}, "working_days"),
        ({"working_hours_start": "25:00"}, "working_hours_start"),
        ({"sso_only": "yes"}, "sso_only"),
        ({"refuse_outside_networks": True}, "allowed_networks"),
        ({"sso_only": True}, "break_glass_member"),
        ({"break_glass_member": "not-a-uuid"}, "break_glass_member"),
        ({"colour": "blue"}, "colour"),
        ({"temporary_max_days": 3, "audit_retention_days": 30}, "audit_retention_days"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(company: Company, values: dict, field: str) -> None:  # type: ignore[type-arg]
    before = settings_of(company.tenant.pk).snapshot()
    with pytest.raises(Invalid) as refused:
        update_settings(company.admin, values)
    assert refused.value.field == field
    assert settings_of(company.tenant.pk).snapshot() == before
    assert policy_of(company.tenant.pk).retention_days == 180


def test_the_break_glass_account_must_be_an_administrator(company: Company) -> None:
    with pytest.raises(Invalid) as refused:
        update_settings(company.admin, {"break_glass_member": str(company.member.pk)})
    assert refused.value.field == "break_glass_member"
    update_settings(company.admin, {"break_glass_member": str(company.admin.pk)})
    assert settings_of(company.tenant.pk).break_glass_member_id == company.admin.pk


def test_retention_is_changed_from_the_same_place(company: Company) -> None:
    update_settings(company.admin, {"audit_retention_days": 365})
    assert policy_of(company.tenant.pk).retention_days == 365


def test_the_api_reads_and_patches(admin_api: ApiClient, member_api: ApiClient) -> None:
    settings = body(admin_api.get("/security/settings"))
    assert settings["external_auto_join"] is False and settings["audit_retention_days"] == 180
    changed = body(
        admin_api.patch(
            "/security/settings",
            {
                "working_hours_start": "07:30",
                "allowed_networks": ["192.0.2.0/24"],
                "audit_retention_days": 400,
            },
        )
    )
    assert changed["working_hours_start"] == "07:30:00" and changed["allowed_networks"] == ["192.0.2.0/24"]
    assert changed["audit_retention_days"] == 400
    assert_problem(
        admin_api.patch("/security/settings", {"allowed_networks": ["nowhere"]}), 422, "allowed_networks"
    )
    assert member_api.patch("/security/settings", {"temporary_max_days": 30}).status_code in (403, 404)


def test_the_settings_page(company: Company) -> None:
    client = Client()
    client.force_login(company.admin.account)
    page = client.get("/security/")
    assert page.status_code == 200 and b"Security settings" in page.content
    form = {
        "session_lifetime_minutes": "480",
        "temporary_max_days": "5",
        "working_hours_start": "09:00",
        "working_hours_end": "18:00",
        "working_days": ["0", "1", "2", "3", "4", "5"],
        "audit_retention_days": "180",
        "allowed_networks": "203.0.113.0/24\n",
    }
    saved = client.post("/security/", form)
    assert saved.status_code == 302
    settings = settings_of(company.tenant.pk)
    assert settings.session_lifetime_minutes == 480 and settings.working_days == [0, 1, 2, 3, 4, 5]
    assert settings.working_hours_start == dt.time(9, 0) and settings.allowed_networks == ["203.0.113.0/24"]
    refused = client.post("/security/", {**form, "allowed_networks": "garbage"})
    assert refused.status_code == 400 and b"garbage" in refused.content
    assert settings_of(company.tenant.pk).allowed_networks == ["203.0.113.0/24"]


def test_the_temporary_term_limits_external_access(company: Company) -> None:
    from harbour.directory import actions

    update_settings(company.admin, {"temporary_max_days": 3})
    spec = actions.MemberSpec(
        email="visitor@acme.com.hk",
        name="Visitor",
        is_external=True,
        access_expires_at=now() + dt.timedelta(days=5),
    )
    with pytest.raises(Invalid) as refused:
        actions.invite_member(company.admin, spec)
    assert refused.value.field == "access_expires_at" and "3 days" in refused.value.message
    default = actions.invite_member(
        company.admin, actions.MemberSpec(email="guest@acme.com.hk", name="Guest", is_external=True)
    )
    assert default.access_expires_at is not None
    assert default.access_expires_at <= now() + dt.timedelta(days=3, minutes=1)  # the default fits the term
    with pytest.raises(Invalid):
        actions.update_member(company.admin, default, access_expires_at=now() + dt.timedelta(days=10))
