"""Company devices: IT registers a member's device through a one-time link opened on it, and with
"company devices only" on, a sign-in needs the password and a signature of a registered device.

Every WebAuthn answer comes from ``tests.webauthn_authenticator`` (real P-256 keys, CBOR and ES256
signatures) and goes through the real pages with Django's test client.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.core.errors import Invalid
from harbour.directory.models import Member
from harbour.identity.models import DeviceCredential, DeviceEnrolment, LoginSession
from harbour.security.actions import update_settings
from harbour.security.models import Incident
from tests.api.helpers import api_as, assert_problem, body
from tests.factories import PASSWORD, Company
from tests.webauthn_authenticator import SoftwareAuthenticator, b64url


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


OPTIONS = re.compile(r'<script id="webauthn-options" type="application/json">(.*?)</script>', re.S)
LINK = re.compile(r'id="enrolment-link">([^<]+)<')


def options_in(response: Any) -> dict[str, Any]:
    found = OPTIONS.search(response.content.decode())
    assert found, response.content.decode()[:2000]
    return json.loads(found.group(1))


def admin_console(company: Company) -> Client:
    client = Client()
    assert company.admin is not None and company.admin.account is not None
    client.force_login(company.admin.account)
    return client


def enrolment_link(company: Company, member: Member, name: str = "HK-LAPTOP-0042") -> str:
    response = admin_console(company).post(f"/members/{member.pk}/devices/enrol/", {"device_name": name})
    assert response.status_code == 200, response.content[:500]
    found = LINK.search(response.content.decode())
    assert found
    return html.unescape(found.group(1)).replace("http://testserver", "")


def register(
    company: Company, member: Member, authenticator: SoftwareAuthenticator, name: str = "HK-LAPTOP-0042"
) -> DeviceCredential:
    """IT makes a link; the device opens it and answers the registration ceremony."""
    link = enrolment_link(company, member, name)
    device_browser = Client()
    page = device_browser.get(link)
    assert page.status_code == 200
    answer = authenticator.create(options_in(page))
    done = device_browser.post(link, {"credential": json.dumps(answer)})
    assert done.status_code == 200, done.content.decode()[:2000]
    assert "device-registered" in done.content.decode()
    return DeviceCredential.objects.for_tenant(company.tenant).get(credential_id=answer["id"])


def devices_only(company: Company) -> None:
    update_settings(company.system, {"company_devices_only": True})


def password_step(client: Client, member: Member) -> Any:
    return client.post("/login/", {"email": member.email, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def device_step(
    client: Client, authenticator: SoftwareAuthenticator, **answer_kwargs: Any
) -> tuple[Any, dict[str, Any]]:
    page = client.get("/login/device/")
    assert page.status_code == 200, page.content.decode()[:1000]
    answer = authenticator.get(options_in(page), **answer_kwargs)
    return client.post("/login/device/", {"credential": json.dumps(answer)}), answer


# ------------------------------------------------------------------------------------- registration
def test_it_registers_a_members_device_through_a_one_time_link(company: Company) -> None:
    member = company.member
    assert member is not None and company.admin is not None
    authenticator = SoftwareAuthenticator()
    device = register(company, member, authenticator)
    assert device.member_id == member.pk
    assert device.registered_by_id == company.admin.pk
    assert device.name == "HK-LAPTOP-0042"
    assert device.transports == ["internal"]
    assert DeviceEnrolment.objects.for_tenant(company.tenant).get().used_at is not None
    kinds = list(AuditEvent.objects.for_tenant(company.tenant).values_list("kind", flat=True))
    assert "device.enrolment_created" in kinds and "device.registered" in kinds

    # the inventory lists it, reachable from the member's page
    console = admin_console(company)
    assert f"/members/{member.pk}/devices/" in console.get(f"/members/{member.pk}/").content.decode()
    inventory = console.get(f"/members/{member.pk}/devices/").content.decode()
    assert "HK-LAPTOP-0042" in inventory and "Ada Admin" in inventory


def test_an_enrolment_link_works_once(company: Company) -> None:
    member = company.member
    assert member is not None
    link = enrolment_link(company, member)
    browser = Client()
    answer = SoftwareAuthenticator().create(options_in(browser.get(link)))
    assert browser.post(link, {"credential": json.dumps(answer)}).status_code == 200
    assert browser.get(link).status_code == 404
    again = SoftwareAuthenticator().create(options_in(Client().get(enrolment_link(company, member))))
    assert Client().post(link, {"credential": json.dumps(again)}).status_code == 404
    assert DeviceCredential.objects.for_tenant(company.tenant).count() == 1


def test_a_registration_answer_from_another_origin_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    link = enrolment_link(company, member)
    browser = Client()
    answer = SoftwareAuthenticator().create(options_in(browser.get(link)), origin="https://evil.example")
    response = browser.post(link, {"credential": json.dumps(answer)})
    assert response.status_code == 400
    assert not DeviceCredential.objects.for_tenant(company.tenant).exists()


def test_an_expired_or_unknown_link_says_so(company: Company) -> None:
    member = company.member
    assert member is not None
    link = enrolment_link(company, member)
    DeviceEnrolment.objects.for_tenant(company.tenant).update(expires_at="2000-01-01T00:00:00Z")
    assert Client().get(link).status_code == 404
    assert Client().get("/devices/enrol/not-a-token/").status_code == 404


# ------------------------------------------------------------------------------------------ sign-in
def test_sign_in_with_password_and_registered_device(company: Company) -> None:
    member = company.member
    assert member is not None
    authenticator = SoftwareAuthenticator()
    device = register(company, member, authenticator)
    devices_only(company)

    client = Client()
    first = password_step(client, member)
    assert first.status_code == 302 and first["Location"] == "/login/device/"
    assert not signed_in(client)  # the password alone does not sign in
    response, _answer = device_step(client, authenticator)
    assert response.status_code == 302, response.content.decode()[:1000]
    assert signed_in(client)
    device.refresh_from_db()
    assert device.sign_count == 1 and device.last_used_at is not None
    session = LoginSession.objects.filter(account=member.account).latest("created_at")
    assert session.device_credential == device.pk and "device" in session.factors


def test_without_a_device_answer_the_sign_in_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    register(company, member, SoftwareAuthenticator())
    devices_only(company)
    client = Client()
    password_step(client, member)
    client.get("/login/device/")
    response = client.post("/login/device/", {"credential": ""})
    assert response.status_code == 403
    assert not signed_in(client)


def test_a_member_with_no_registered_device_is_told_to_ask_it(company: Company) -> None:
    member = company.member
    assert member is not None
    devices_only(company)
    client = Client()
    password_step(client, member)
    response = client.get("/login/device/")
    assert response.status_code == 403
    assert "Ask IT to register this device" in response.content.decode()
    assert not signed_in(client)


def test_a_revoked_device_no_longer_signs_in(company: Company) -> None:
    member = company.member
    assert member is not None
    laptop, phone = SoftwareAuthenticator(), SoftwareAuthenticator()
    revoked = register(company, member, laptop, "laptop")
    register(company, member, phone, "phone")
    admin_console(company).post(f"/devices/{revoked.pk}/revoke/")
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    devices_only(company)

    client = Client()
    password_step(client, member)
    page = client.get("/login/device/")
    allowed = [d["id"] for d in options_in(page)["allowCredentials"]]
    assert revoked.credential_id not in allowed
    answer = laptop.get(options_in(page), credential_id=laptop.only_credential_id)
    response = client.post("/login/device/", {"credential": json.dumps(answer)})
    assert response.status_code == 403
    assert "not registered" in response.content.decode()
    assert not signed_in(client)


def test_an_unregistered_credential_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    register(company, member, SoftwareAuthenticator())
    devices_only(company)
    stranger = SoftwareAuthenticator()  # a key the browser made for this site, never registered by IT
    stranger.create(
        {
            "rp": {"id": "testserver", "name": "Harbour"},
            "user": {"id": b64url(member.pk.bytes), "name": member.email, "displayName": member.name},
            "challenge": b64url(b"x" * 32),
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        }
    )
    client = Client()
    password_step(client, member)
    response, _ = device_step(client, stranger, credential_id=stranger.only_credential_id)
    assert response.status_code == 403
    assert not signed_in(client)


def test_an_answer_made_for_another_origin_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    authenticator = SoftwareAuthenticator()
    device = register(company, member, authenticator)
    devices_only(company)
    client = Client()
    password_step(client, member)
    response, _ = device_step(client, authenticator, origin="https://harbour.evil.example")
    assert response.status_code == 403
    assert not signed_in(client)
    device.refresh_from_db()
    assert device.sign_count == 0 and device.last_used_at is None


def test_a_replayed_answer_is_refused(company: Company) -> None:
    member = company.member
    assert member is not None
    authenticator = SoftwareAuthenticator()
    register(company, member, authenticator)
    devices_only(company)
    client = Client()
    password_step(client, member)
    response, answer = device_step(client, authenticator)
    assert response.status_code == 302

    thief = Client()  # someone who captured the answer sends it again in their own sign-in
    password_step(thief, member)
    thief.get("/login/device/")
    replay = thief.post("/login/device/", {"credential": json.dumps(answer)})
    assert replay.status_code == 403
    assert not signed_in(thief)


def test_a_cloned_key_is_refused_and_logged(company: Company) -> None:
    member = company.member
    assert member is not None
    authenticator = SoftwareAuthenticator()
    device = register(company, member, authenticator)
    clone = authenticator.clone()  # the key copied off the device before it was used
    devices_only(company)

    genuine = Client()
    password_step(genuine, member)
    assert device_step(genuine, authenticator)[0].status_code == 302

    copied = Client()
    password_step(copied, member)
    response, _ = device_step(copied, clone)  # its counter says 1 again
    assert response.status_code == 403
    assert "may have been copied" in response.content.decode()
    assert not signed_in(copied)
    device.refresh_from_db()
    assert device.sign_count == 1
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="device.clone_suspected")
    assert event.data["stored_count"] == 1 and event.data["presented_count"] == 1
    incident = Incident.objects.for_tenant(company.tenant).get(subject=member)
    assert incident.severity == "high" and incident.evidence[0]["type"] == "device_clone"


# ------------------------------------------------------------------------------------ settings check
def test_company_devices_only_needs_a_device_of_the_administrator_switching_it_on(company: Company) -> None:
    admin = company.admin
    assert admin is not None
    with pytest.raises(Invalid) as refused:
        update_settings(admin, {"company_devices_only": True})
    assert refused.value.field == "company_devices_only"
    register(company, admin, SoftwareAuthenticator())
    assert update_settings(admin, {"company_devices_only": True}).company_devices_only


# ---------------------------------------------------------------------------------------------- API
def test_api_lists_enrols_and_revokes_devices(company: Company) -> None:
    member, admin = company.member, company.admin
    assert member is not None and admin is not None
    api = api_as(admin)
    created = api.post(f"/members/{member.pk}/device-enrolments", {"device_name": "Front desk PC"})
    assert created.status_code == 201, created.content
    url = body(created)["url"].replace("http://testserver", "")
    browser = Client()
    answer = SoftwareAuthenticator().create(options_in(browser.get(url)))
    assert browser.post(url, {"credential": json.dumps(answer)}).status_code == 200

    listed = body(api.get(f"/members/{member.pk}/devices"))["items"]
    assert [d["name"] for d in listed] == ["Front desk PC"] and listed[0]["is_live"]
    revoked = api.post(f"/devices/{listed[0]['id']}/revoke", {"reason": "stolen"})
    assert revoked.status_code == 200 and body(revoked)["revoked_at"] is not None
    event = AuditEvent.objects.for_tenant(company.tenant).get(kind="device.revoked")
    assert event.data["reason"] == "stolen"


def test_api_refuses_a_blank_device_name_naming_the_field(company: Company) -> None:
    assert company.member is not None and company.admin is not None
    response = api_as(company.admin).post(
        f"/members/{company.member.pk}/device-enrolments", {"device_name": " "}
    )
    assert_problem(response, 422, "device_name")
    assert not DeviceEnrolment.objects.for_tenant(company.tenant).exists()


def test_a_manager_manages_no_devices_outside_their_departments(company: Company) -> None:
    assert company.manager is not None and company.outsider is not None
    response = api_as(company.manager).get(f"/members/{company.outsider.pk}/devices")
    assert_problem(response, 404)


def test_the_relying_party_id_comes_from_the_setting(company: Company, settings: Any) -> None:
    settings.HARBOUR_WEBAUTHN_RP_ID = "harbour.example"
    member = company.member
    assert member is not None
    link = enrolment_link(company, member)
    browser = Client()
    options = options_in(browser.get(link))
    assert options["rp"]["id"] == "harbour.example"
    forged = dict(options, rp={**options["rp"], "id": "evil.example"})  # a key made for another site
    answer = SoftwareAuthenticator().create(forged)
    assert browser.post(link, {"credential": json.dumps(answer)}).status_code == 400
    answer = SoftwareAuthenticator().create(options_in(browser.get(link)))
    assert browser.post(link, {"credential": json.dumps(answer)}).status_code == 200


def test_revoking_a_device_ends_the_sessions_it_signed_in(company: Company) -> None:
    member = company.member
    assert member is not None and company.admin is not None
    authenticator = SoftwareAuthenticator()
    device = register(company, member, authenticator)
    devices_only(company)
    client = Client()
    password_step(client, member)
    assert device_step(client, authenticator)[0].status_code == 302
    assert signed_in(client)
    assert api_as(company.admin).post(f"/devices/{device.pk}/revoke", {"reason": "lost"}).status_code == 200
    assert not signed_in(client)
    assert LoginSession.objects.get(device_credential=device.pk).end_reason == "device revoked"


def test_wrong_device_answers_count_towards_the_lockout(company, settings) -> None:  # type: ignore[no-untyped-def]
    """An attacker with the password but not the device is locked out like one guessing passwords."""
    from django.test import Client

    from harbour.identity.models import DeviceCredential, LoginFailure
    from harbour.security.models import SecuritySettings
    from tests.factories import PASSWORD

    settings.LOGIN_FAILURE_LIMIT = 3
    DeviceCredential.objects.create(
        tenant=company.tenant, member=company.member, name="Laptop", credential_id="cred-x", public_key=b"k"
    )
    SecuritySettings.objects.for_tenant(company.tenant).update_or_create(
        tenant_id=company.tenant.pk, defaults={"company_devices_only": True}
    )
    client = Client()
    assert (
        client.post("/login/", {"email": company.member.email, "password": PASSWORD})["Location"]
        == "/login/device/"
    )
    for _ in range(3):
        client.get("/login/device/")
        refused = client.post("/login/device/", {"credential": "{}"})
        assert refused.status_code == 403
    assert LoginFailure.objects.count() == 3
    client.get("/login/device/")
    locked = client.post("/login/device/", {"credential": "{}"})
    assert b"too many failed sign-in attempts" in locked.content
