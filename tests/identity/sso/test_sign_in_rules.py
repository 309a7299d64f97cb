"""The company's rules for a person its identity provider vouched for: each refusal ends on Harbour's login
page with the reason, logs ``login.failed`` and signs nobody in; just-in-time accounts; SSO only."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.errors import Conflict, Invalid
from harbour.directory.models import Member, MemberState
from harbour.identity.models import LoginSession
from harbour.identity.sso import actions
from harbour.security.actions import update_settings
from tests.factories import PASSWORD, Company, make_company, make_member, subscribe
from tests.identity.sso.helpers import (
    IDP_PASSWORD,
    messages_of,
    oidc_connection,
    provider_url,
    sso_round_trip,
    start_sso,
    unique_email,
    verify_domain,
)
from tests.idp.fixtures import TENANT_ID


def _refusal(company: Company) -> str:
    event = AuditEvent.objects.for_tenant(company.tenant).filter(kind="login.failed").latest("seq")
    return str(event.data["reason"])


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def acme(company: Company) -> Company:
    verify_domain(company, "acme.com.hk")
    return company


def test_address_outside_the_verified_domains_is_refused(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    email = unique_email("outsider", "gmail.com")
    oidc_provider.add_user(email, IDP_PASSWORD, "Someone Else")
    client = Client()

    response = sso_round_trip(client, client.post(f"/login/sso/{connection.slug}/"), email)

    assert "is not an address of" in messages_of(client, response)
    assert not _signed_in(client)
    assert _refusal(acme) == "outside_domains"


def test_unverified_email_is_refused(acme: Company, oidc_provider) -> None:
    oidc_connection(acme, oidc_provider)
    member = make_member(acme, name="Uma Unverified", email=unique_email("uma"))
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name, email_verified=False)
    client = Client()

    response = sso_round_trip(client, start_sso(client, member.email), member.email)

    assert "did not confirm" in messages_of(client, response)
    assert not _signed_in(client)
    assert _refusal(acme) == "email_unverified"
    assert not LoginSession.objects.filter(account=member.account).exists()


def test_just_in_time_creates_an_active_member(acme: Company, oidc_provider) -> None:
    oidc_connection(acme, oidc_provider, just_in_time=True)
    email = unique_email("newcomer")
    oidc_provider.add_user(email, IDP_PASSWORD, "Nina Newcomer")
    client = Client()

    response = sso_round_trip(client, start_sso(client, email), email)

    assert response.status_code == 302 and response["Location"] == "/"
    member = Member.objects.for_tenant(acme.tenant).get(email=email)
    assert (member.name, member.state) == ("Nina Newcomer", MemberState.ACTIVE)
    assert member.account is not None and not member.account.has_usable_password()
    assert "Nina Newcomer" in client.get("/").content.decode()
    kinds = set(AuditEvent.objects.for_tenant(acme.tenant).values_list("kind", flat=True))
    assert {"member.invited", "sso.member_provisioned", "login.succeeded"} <= kinds


def test_invited_member_is_activated_and_linked_by_subject(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    invited = make_member(
        acme, name="Ivy Invited", email=unique_email("ivy"), state=MemberState.INVITED, with_login=False
    )
    sub = oidc_provider.add_user(invited.email, IDP_PASSWORD, invited.name)
    client = Client()

    response = sso_round_trip(client, start_sso(client, invited.email), invited.email)

    assert response["Location"] == "/"
    invited.refresh_from_db()
    assert invited.state == MemberState.ACTIVE and invited.account is not None
    from allauth.socialaccount.models import SocialAccount

    link = SocialAccount.objects.get(provider=connection.slug, uid=sub)
    assert link.user_id == invited.account_id

    # The next sign-in finds the login by the provider's subject.
    again = Client()
    response = sso_round_trip(again, start_sso(again, invited.email), invited.email)
    assert response["Location"] == "/"
    assert SocialAccount.objects.filter(provider=connection.slug).count() == 1


def test_disabled_connection_starts_and_finishes_nothing(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    start = start_sso(client, member.email)  # on its way to the provider when it is switched off
    actions.set_connection_enabled(acme.admin, connection, False)

    response = sso_round_trip(client, start, member.email)

    assert "switched off" in messages_of(client, response)
    assert not _signed_in(client)
    assert _refusal(acme) == "connection_disabled"
    refused = Client().post(f"/login/sso/{connection.slug}/")
    assert refused.status_code == 400 and "switched off" in refused.content.decode()
    assert start_sso(Client(), member.email).status_code == 400  # not offered any more


def test_plan_without_single_sign_on(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    start = start_sso(client, member.email)
    subscribe(acme.tenant, "basic")

    response = sso_round_trip(client, start, member.email)

    assert "does not include single sign-on" in messages_of(client, response)
    assert not _signed_in(client)
    assert _refusal(acme) == "not_entitled"
    refused = Client().post(f"/login/sso/{connection.slug}/")
    assert refused.status_code == 400
    with pytest.raises(Exception, match="Professional"):
        oidc_connection(acme, oidc_provider)


def test_sso_only_refuses_passwords_until_switched_off(acme: Company, oidc_provider) -> None:
    oidc_connection(acme, oidc_provider)
    with pytest.raises(Invalid) as refused:
        update_settings(acme.admin, {"break_glass_member": str(acme.admin.pk), "sso_only": True})
    assert refused.value.field == "sso_only"

    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    assert sso_round_trip(client, start_sso(client, member.email), member.email)["Location"] == "/"
    update_settings(acme.admin, {"break_glass_member": str(acme.admin.pk), "sso_only": True})

    password = Client().post("/login/", {"email": member.email, "password": PASSWORD})
    assert password.status_code == 400
    assert "only through its identity provider" in password.content.decode()
    sso = Client()
    assert sso_round_trip(sso, start_sso(sso, member.email), member.email)["Location"] == "/"

    update_settings(acme.admin, {"sso_only": False})
    assert Client().post("/login/", {"email": member.email, "password": PASSWORD}).status_code == 302


def test_the_only_working_connection_stays_while_sso_only_is_on(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    sso_round_trip(client, start_sso(client, member.email), member.email)
    update_settings(acme.admin, {"break_glass_member": str(acme.admin.pk), "sso_only": True})

    with pytest.raises(Conflict):
        actions.set_connection_enabled(acme.admin, connection, False)
    with pytest.raises(Conflict):
        actions.delete_connection(acme.admin, connection)


def test_sso_into_one_company_does_not_admit_another(acme: Company, oidc_provider) -> None:
    oidc_connection(acme, oidc_provider)
    other = make_company("initech")  # no domain binding: the acme address may work there too
    member = acme.member
    make_member(other, name=member.name, email=member.email)
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    assert sso_round_trip(client, start_sso(client, member.email), member.email)["Location"] == "/"

    assert acme.tenant.display_name in client.get("/").content.decode()
    client.post("/switch/", {"tenant_id": str(other.tenant.id)})
    page = client.get("/").content.decode()
    assert "a single sign-on through another company does not sign you in here" in page
    assert client.session["harbour_tenant"] == str(acme.tenant.id)
    session = LoginSession.objects.get(account=member.account)
    assert session.tenant_id == acme.tenant.id


def test_entra_preset_checks_the_directory(acme: Company, oidc_provider) -> None:
    good = oidc_connection(
        acme,
        oidc_provider,
        preset="entra",
        values={"directory_id": TENANT_ID, "issuer": oidc_provider.issuer},
    )
    assert good.settings_summary["directory_id"] == TENANT_ID
    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()
    assert sso_round_trip(client, client.post(f"/login/sso/{good.slug}/"), member.email)["Location"] == "/"

    actions.update_connection(
        acme.admin, good, values={"directory_id": "00000000-0000-4000-8000-000000000000"}
    )
    other = Client()
    response = sso_round_trip(other, other.post(f"/login/sso/{good.slug}/"), member.email)
    assert "another directory" in messages_of(other, response)
    assert _refusal(acme) == "wrong_directory"


def test_entra_issuer_follows_the_directory() -> None:
    from harbour.identity.sso.presets import provider_setup

    setup = provider_setup(
        "oidc",
        "entra",
        "x",
        {"directory_id": TENANT_ID, "client_id": "c", "client_secret": "s"},
        creating=True,
    )
    assert setup.settings["server_url"] == f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
    google = provider_setup(
        "oidc",
        "google",
        "x",
        {"domain": "acme.com.hk", "client_id": "c", "client_secret": "s"},
        creating=True,
    )
    assert google.settings["server_url"] == "https://accounts.google.com"
    assert google.settings["auth_params"] == {"hd": "acme.com.hk"}


def test_google_preset_sends_the_hint_and_checks_the_hd_claim(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(
        acme, oidc_provider, preset="google", values={"domain": "acme.com.hk", "issuer": oidc_provider.issuer}
    )
    inside = make_member(acme, name="Gina Google", email=unique_email("gina"))
    oidc_provider.add_user(inside.email, IDP_PASSWORD, inside.name, claims={"hd": "acme.com.hk"})
    client = Client()
    start = client.post(f"/login/sso/{connection.slug}/")
    assert parse_qs(urlsplit(provider_url(start)).query)["hd"] == ["acme.com.hk"]
    assert sso_round_trip(client, start, inside.email)["Location"] == "/"

    personal = make_member(acme, name="Pat Personal", email=unique_email("pat"))
    oidc_provider.add_user(personal.email, IDP_PASSWORD, personal.name)  # no hd: not a Workspace account
    other = Client()
    response = sso_round_trip(other, other.post(f"/login/sso/{connection.slug}/"), personal.email)
    assert "another directory" in messages_of(other, response)


def test_cancelled_at_the_provider_ends_on_the_login_page(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    client = Client()
    start = client.post(f"/login/sso/{connection.slug}/")
    state = parse_qs(urlsplit(provider_url(start)).query)["state"][0]

    response = client.get(
        f"/sso/oidc/{connection.slug}/login/callback/", {"error": "access_denied", "state": state}
    )

    assert "cancelled" in messages_of(client, response)
    assert _refusal(acme).startswith("provider_")


def test_start_page_finds_nothing_for_an_unknown_domain(db) -> None:
    response = start_sso(Client(), "someone@unknown-domain.example")
    assert response.status_code == 400
    assert "No single sign-on is set up" in response.content.decode()


def test_allauth_account_pages_are_not_served(acme: Company, oidc_provider) -> None:
    connection = oidc_connection(acme, oidc_provider)
    for path in ("/accounts/login/", "/accounts/signup/", "/sso/oidc/x/", "/accounts/3rdparty/"):
        assert Client().get(path).status_code == 404, path
    provider_page = Client().get(f"/sso/oidc/{connection.slug}/login/")
    assert provider_page.status_code == 302 and provider_page["Location"] == f"/login/sso/{connection.slug}/"


def test_just_in_time_respects_the_seats(acme: Company, oidc_provider) -> None:
    oidc_connection(acme, oidc_provider, just_in_time=True)
    taken = Member.objects.for_tenant(acme.tenant).exclude(state=MemberState.DEACTIVATED).count()
    subscribe(acme.tenant, "professional", seats=taken)
    email = unique_email("late")
    oidc_provider.add_user(email, IDP_PASSWORD, "Larry Late")
    client = Client()

    response = sso_round_trip(client, start_sso(client, email), email)

    assert "seats of the plan are taken" in messages_of(client, response)
    assert not Member.objects.for_tenant(acme.tenant).filter(email=email).exists()
    assert _refusal(acme) == "provisioning_refused"


def test_suspended_member_is_refused(acme: Company, oidc_provider) -> None:
    from harbour.directory.actions import suspend_member

    oidc_connection(acme, oidc_provider)
    member = make_member(acme, name="Sid Suspended", email=unique_email("sid"))
    suspend_member(acme.admin, member, reason="investigation")
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, start_sso(client, member.email), member.email)

    assert "suspended" in messages_of(client, response)
    assert not _signed_in(client)
    assert _refusal(acme) == "inactive"


def test_second_step_the_company_asks_for_comes_after_the_provider(acme: Company, oidc_provider) -> None:
    from harbour.security.models import SecuritySettings

    oidc_connection(acme, oidc_provider)
    SecuritySettings.objects.for_tenant(acme.tenant).update_or_create(
        tenant=acme.tenant, defaults={"company_devices_only": True}
    )
    member = acme.member
    oidc_provider.add_user(member.email, IDP_PASSWORD, member.name)
    client = Client()

    response = sso_round_trip(client, start_sso(client, member.email), member.email)

    assert response.status_code == 302 and response["Location"] != "/"
    assert not _signed_in(client)  # not before the company device answered
    assert not LoginSession.objects.filter(account=member.account).exists()
