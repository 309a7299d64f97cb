"""SCIM tokens: minted in the console (shown once, with the address to give Entra ID) or by
``harbour scim token``, only a digest kept, revoked at once; the console page and the HR imports page show
what SCIM changed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.cli import main
from harbour.core.errors import Forbidden
from harbour.directory.models import Member
from harbour.lifecycle.models import ScimToken
from harbour.lifecycle.scim.tokens import mint_scim_token
from tests.factories import Company
from tests.lifecycle.scim.conftest import ScimClient, assert_scim_error, entra_user

TOKEN = re.compile(r"hscim_[A-Za-z0-9_-]{40,}")


def test_the_cli_mints_a_token(company: Company, capsys: Any) -> None:
    assert main(["scim", "token", "--tenant", "acme", "--name", "Entra ID"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/scim/v2" in out
    text = TOKEN.search(out).group(0)  # type: ignore[union-attr]
    token = ScimToken.objects.for_tenant(company.tenant).get()
    assert token.name == "Entra ID" and token.digest == hashlib.sha256(text.encode()).hexdigest()
    assert text not in str(token.__dict__)  # only the digest is kept
    assert ScimClient(text).get("/Users").status_code == 200
    created = AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind="scim.token_created").get()
    assert created.actor_type == "system" and created.target_id == str(token.pk)


def test_the_cli_refuses_an_unknown_company(db: Any, capsys: Any) -> None:
    assert main(["scim", "token", "--tenant", "nowhere"]) == 2
    assert "no company with the short name 'nowhere'" in capsys.readouterr().err
    assert not ScimToken.objects.across_tenants().exists()


def test_minting_needs_lifecycle_manage(company: Company) -> None:
    with pytest.raises(Forbidden):
        mint_scim_token(company.member, name="Sneaky")  # type: ignore[arg-type]
    assert not ScimToken.objects.for_tenant(company.tenant).exists()


def test_the_console_page_mints_shows_once_and_revokes(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    admin = as_member(company.admin)  # type: ignore[arg-type]
    page = admin.get("/lifecycle/scim/")
    assert page.status_code == 200 and b"No SCIM tokens yet." in page.content
    assert b"/lifecycle/scim/" in admin.get("/lifecycle/imports/").content  # linked from the HR imports page

    minted = admin.post("/lifecycle/scim/", {"name": "Entra ID"}, follow=True)
    html = minted.content.decode()
    text = TOKEN.search(html).group(0)  # type: ignore[union-attr]
    assert "http://127.0.0.1:8000/scim/v2" in html and "Entra ID" in html
    assert TOKEN.search(admin.get("/lifecycle/scim/").content.decode()) is None  # shown once

    scim = ScimClient(text)
    assert scim.post("/Users", entra_user("page.joiner@acme.com.hk")).status_code == 201
    listing = admin.get("/lifecycle/scim/").content.decode()
    assert "page.joiner@acme.com.hk" in listing  # the latest SCIM changes
    imports = admin.get("/lifecycle/imports/").content.decode()
    assert "SCIM · Entra ID · Page Joiner" in imports  # SCIM's changes are in the sync reports

    token = ScimToken.objects.for_tenant(company.tenant).get()
    assert token.last_used_at is not None and token.prefix in listing
    revoked = admin.post(f"/lifecycle/scim/tokens/{token.pk}/revoke/", follow=True)
    assert revoked.status_code == 200 and "no longer works" in revoked.content.decode()
    assert_scim_error(scim.get("/Users"), 401)
    assert AuditEvent.objects.filter(tenant_id=company.tenant.pk, kind="scim.token_revoked").count() == 1


def test_an_empty_name_is_the_default_and_a_long_one_is_refused(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    admin = as_member(company.admin)  # type: ignore[arg-type]
    admin.post("/lifecycle/scim/", {"name": ""})
    assert ScimToken.objects.for_tenant(company.tenant).get().name == "SCIM"
    refused = admin.post("/lifecycle/scim/", {"name": "x" * 101})
    assert refused.status_code == 400 and b"longer than 100 characters" in refused.content
    assert ScimToken.objects.for_tenant(company.tenant).count() == 1


def test_members_without_the_permission_see_nothing(
    company: Company, as_member: Callable[[Member], Client]
) -> None:
    token, _text = mint_scim_token(company.admin, name="Entra ID")  # type: ignore[arg-type]
    member = as_member(company.member)  # type: ignore[arg-type]
    assert member.get("/lifecycle/scim/").status_code == 404
    assert member.post("/lifecycle/scim/", {"name": "Mine"}).status_code == 404
    assert member.post(f"/lifecycle/scim/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and ScimToken.objects.for_tenant(company.tenant).count() == 1
