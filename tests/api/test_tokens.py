"""Personal API tokens and API authentication: bearer tokens that stop at once, and the console session."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from harbour.core.time import now
from harbour.identity.models import ApiToken
from tests.api.helpers import API, ApiClient, anonymous, assert_problem, body, issue_token
from tests.factories import Company


def test_token_created_used_listed_and_revoked(company: Company, member_api: ApiClient) -> None:
    response = member_api.post("/tokens", {"name": "laptop script", "days": 7})
    assert response.status_code == 201, response.content
    created = body(response)
    text = created["token"]
    assert text.startswith("hbr_") and text.startswith(created["prefix"])
    assert dt.datetime.fromisoformat(created["expires_at"]) - now() < dt.timedelta(days=7, minutes=1)

    script = ApiClient(text)
    assert body(script.get("/me"))["id"] == str(company.member.id)  # type: ignore[union-attr]

    listed = body(member_api.get("/tokens"))["items"]
    assert {t["name"] for t in listed} == {"tests", "laptop script"}
    assert all("token" not in t for t in listed)  # the text is shown once only
    used = next(t for t in listed if t["name"] == "laptop script")
    assert used["last_used_at"] is not None and used["is_live"]

    assert member_api.delete(f"/tokens/{created['id']}").status_code == 204
    assert_problem(script.get("/me"), 401)
    revoked = next(t for t in body(member_api.get("/tokens"))["items"] if t["id"] == created["id"])
    assert revoked["revoked_at"] is not None and not revoked["is_live"]


def test_revoked_token_is_refused(company: Company) -> None:
    text = issue_token(company.member)  # type: ignore[arg-type]
    ApiToken.objects.for_tenant(company.tenant).filter(prefix=text[:12]).update(revoked_at=now())
    response = ApiClient(text).get("/me")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(company: Company) -> None:
    text = issue_token(company.member)  # type: ignore[arg-type]
    assert ApiClient(text).get("/me").status_code == 200
    ApiToken.objects.for_tenant(company.tenant).filter(prefix=text[:12]).update(
        expires_at=now() - dt.timedelta(seconds=1)
    )
    assert_problem(ApiClient(text).get("/me"), 401)


def test_suspended_member_cannot_use_api_token(company: Company, admin_api: ApiClient) -> None:
    assert company.member is not None
    text = issue_token(company.member)
    assert ApiClient(text).get("/me").status_code == 200
    assert admin_api.post(f"/members/{company.member.id}/suspend").status_code == 200
    assert_problem(ApiClient(text).get("/me"), 401)
    # and reactivation does not bring the old tokens back
    assert admin_api.post(f"/members/{company.member.id}/reactivate").status_code == 200
    assert_problem(ApiClient(text).get("/me"), 401)


def test_deactivated_member_cannot_use_api_token(company: Company, admin_api: ApiClient) -> None:
    text = issue_token(company.outsider)  # type: ignore[arg-type]
    assert admin_api.post(f"/members/{company.outsider.id}/deactivate").status_code == 200  # type: ignore[union-attr]
    assert_problem(ApiClient(text).get("/me"), 401)


def test_unknown_or_malformed_tokens_are_refused(company: Company) -> None:
    for text in ("hbr_not-a-real-token", "something-else", ""):
        assert_problem(ApiClient(text).get("/members"), 401)
    assert_problem(anonymous().get("/me"), 401)


def test_token_lifetime_and_name_are_checked(company: Company, member_api: ApiClient) -> None:
    before = ApiToken.objects.for_tenant(company.tenant).count()
    assert_problem(member_api.post("/tokens", {"name": "forever", "days": 5000}), 422, "days")
    assert_problem(member_api.post("/tokens", {"name": "  ", "days": 5}), 422, "name")
    assert ApiToken.objects.for_tenant(company.tenant).count() == before


def test_cannot_revoke_someone_elses_token(company: Company, member_api: ApiClient) -> None:
    issue_token(company.admin)  # type: ignore[arg-type]
    admin_token = ApiToken.objects.for_tenant(company.tenant).get(member=company.admin)
    assert_problem(member_api.delete(f"/tokens/{admin_token.id}"), 404, "token_id")
    admin_token.refresh_from_db()
    assert admin_token.revoked_at is None


def test_console_session_works_with_csrf_token(company: Company) -> None:
    assert company.member is not None and company.member.account is not None
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(company.member.account)
    response = browser.get(f"{API}/me")
    assert response.status_code == 200, response.content
    assert body(response)["id"] == str(company.member.id)

    # unsafe methods need the CSRF token
    refused = browser.patch(f"{API}/me", data={"name_zh": "加里"}, content_type="application/json")
    assert refused.status_code == 403
    browser.get("/login/")  # any page that sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.patch(
        f"{API}/me", data={"name_zh": "加里"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 200, response.content
    assert body(response)["name_zh"] == "加里"
