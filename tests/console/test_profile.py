"""Self-service: a member edits their own names and mobile, and nothing else."""

from __future__ import annotations

from django.test import Client

from harbour.directory.models import Member


def _client(member) -> Client:
    client = Client()
    client.force_login(member.account)
    return client


def test_member_edits_own_profile(company):
    client = _client(company.member)
    page = client.get("/me/")
    assert page.status_code == 200 and company.member.email in page.content.decode()
    response = client.post("/me/", {"name": "Gary G. General", "name_zh": "葉家明", "mobile": "6123 4567"})
    assert response.status_code == 302
    me = Member.objects.for_tenant(company.tenant).get(pk=company.member.pk)
    assert (me.name, me.name_zh, me.mobile) == ("Gary G. General", "葉家明", "+85261234567")


def test_bad_mobile_shows_the_error_and_changes_nothing(company):
    client = _client(company.member)
    response = client.post("/me/", {"name": "Gary", "name_zh": "", "mobile": "12"})
    assert response.status_code == 400
    assert "not a valid phone number" in response.content.decode()
    me = Member.objects.for_tenant(company.tenant).get(pk=company.member.pk)
    assert me.name == "Gary General" and me.mobile == ""


def test_profile_page_needs_sign_in(db):
    response = Client().get("/me/")
    assert response.status_code == 302 and "/login/" in response["Location"]
