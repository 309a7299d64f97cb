"""The console: a member reads a policy in their language and acknowledges it; raw HTML in a policy is shown
as text; an officer creates the default conduct policy, edits the draft, publishes after a confirmation,
follows progress on the chart and the outstanding list, and downloads the acknowledgements."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.directory.models import Member
from harbour.policies.actions import acknowledge
from harbour.policies.models import Acknowledgement, PolicyVersion, VersionState
from harbour.policies.rendering import render_markdown
from tests.factories import Company
from tests.policies.conftest import conduct_draft, publish, published_conduct

Login = Callable[[Member], Client]


def test_markdown_escapes_raw_html_and_script_links() -> None:
    html = str(render_markdown("# Rules\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **bold**"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "<h1>Rules</h1>" in html and "<strong>bold</strong>" in html


def test_a_member_reads_in_their_language_and_acknowledges(company: Company, as_member: Login) -> None:
    version = published_conduct(company, scope_all=True)
    assert company.member is not None
    gary = as_member(company.member)

    mine = gary.get(reverse("policies:mine"))
    assert mine.status_code == 200
    assert "Employee Conduct Policy" in mine.content.decode()
    page = gary.get(reverse("policies:read", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Do not forward work chats." in page.content.decode()
    chinese = gary.get(reverse("policies:read", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    text = chinese.content.decode()
    assert "不得轉發工作聊天內容。" in text and "Do not forward work chats." not in text

    done = gary.post(reverse("policies:acknowledge", args=[version.pk]), HTTP_USER_AGENT="Console browser")
    assert done.status_code == 302 and done["Location"] == reverse("policies:mine")
    ack = Acknowledgement.objects.for_tenant(company.tenant).get(member=company.member)
    assert (
        ack.version_id == version.pk and ack.user_agent == "Console browser" and ack.ip_address == "127.0.0.1"
    )
    history = gary.get(reverse("policies:mine")).content.decode()
    assert "Nothing waits for you" in history


def test_a_policy_with_html_is_shown_as_text(company: Company, as_member: Login) -> None:
    version = publish(company, conduct_draft(company, body_en='Hello <img src=x onerror="alert(1)"> there'))
    assert company.member is not None
    page = as_member(company.member).get(
        reverse("policies:read", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "<img src=x" not in text and "&lt;img src=x" in text


def test_members_outside_the_scope_get_not_found(company: Company, as_member: Login) -> None:
    version = published_conduct(company, scope_all=False, department_ids=[company.departments["finance"].pk])
    assert company.outsider is not None
    helen = as_member(company.outsider)
    assert helen.get(reverse("policies:read", args=[version.pk])).status_code == 404
    assert helen.post(reverse("policies:acknowledge", args=[version.pk])).status_code == 404
    assert Acknowledgement.objects.for_tenant(company.tenant).count() == 0


def test_an_officer_drafts_from_the_default_edits_and_publishes_after_confirming(
    company: Company, as_member: Login
) -> None:
    assert company.admin is not None
    ada = as_member(company.admin)
    listing = ada.get(reverse("policies:documents")).content.decode()
    assert "The company has no Employee Conduct Policy yet" in listing
    assert (
        "The company has no Employee Conduct Policy yet" in ada.get(reverse("policies:mine")).content.decode()
    )
    assert company.member is not None  # a member without the permission is not offered it
    assert (
        "no Employee Conduct Policy"
        not in as_member(company.member).get(reverse("policies:mine")).content.decode()
    )

    created = ada.post(reverse("policies:create_default"))
    assert created.status_code == 302
    draft = PolicyVersion.objects.for_tenant(company.tenant).get()
    assert created["Location"] == reverse("policies:edit_version", args=[draft.pk])
    assert "no Employee Conduct Policy" not in ada.get(reverse("policies:documents")).content.decode()

    form = {
        "title_en": draft.title_en,
        "title_zh": draft.title_zh,
        "body_en": draft.body_en + "\n## 10. Local addition\n",
        "body_zh": "",
        "change_summary": "Adapted",
    }
    saved = ada.post(reverse("policies:edit_version", args=[draft.pk]), form)
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert "Local addition" in draft.body_en and draft.body_zh == ""

    url = reverse("policies:publish", args=[draft.pk])
    confirmation = ada.get(url)
    assert (
        confirmation.status_code == 200
        and "Publish and ask for acknowledgement" in confirmation.content.decode()
    )
    refused = ada.post(url, {"scope_all": "on", "deadline_days": "14"})
    assert refused.status_code == 400 and "Chinese text is missing" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT

    form["body_zh"] = "## 規則"
    ada.post(reverse("policies:edit_version", args=[draft.pk]), form)
    assert ada.post(url, {"deadline_days": "0", "scope_all": "on"}).status_code == 400
    no_departments = ada.post(url, {"deadline_days": "7"})
    assert no_departments.status_code == 400
    published = ada.post(url, {"deadline_days": "7", "departments": [str(company.departments["finance"].pk)]})
    assert published.status_code == 302 and published["Location"] == reverse(
        "policies:version", args=[draft.pk]
    )
    draft.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED and draft.deadline_days == 7 and not draft.scope_all
    progress = ada.get(published["Location"]).content.decode()
    assert "Fiona Finance" in progress and "Gary General" in progress and "Helen HR" not in progress


def test_the_version_page_shows_progress_and_the_outstanding_list(company: Company, as_member: Login) -> None:
    version = published_conduct(company)
    assert company.admin is not None and company.manager is not None
    acknowledge(company.admin, version)
    ada = as_member(company.admin)
    url = reverse("policies:version", args=[version.pk])

    page = ada.get(url).content.decode()
    assert '<svg class="chart"' in page and "<script>" not in page
    assert "Progress: 25% acknowledged" in page
    assert "Fiona Finance" in page and "Gary General" in page and "Helen HR" in page
    finance = ada.get(url, {"department": str(company.departments["finance"].pk)}).content.decode()
    assert "Fiona Finance" in finance and "Helen HR" not in finance
    overdue = ada.get(url, {"overdue": "on"}).content.decode()
    assert "Nobody outstanding." in overdue

    export = ada.get(reverse("policies:version_csv", args=[version.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:3] == ["Policy", "Version", "Member"]
    assert [(r[2], r[3]) for r in rows[1:]] == [("Ada Admin", "admin@acme.com.hk")]
    assert (
        AuditEvent.objects.for_tenant(company.tenant).filter(kind="policy.acknowledgements_exported").count()
        == 1
    )


def test_officer_pages_are_hidden_from_members_and_other_companies(
    company: Company, other_company: Company, as_member: Login
) -> None:
    version = published_conduct(company)
    assert company.member is not None and other_company.admin is not None
    gary = as_member(company.member)
    for name in ("policies:version", "policies:version_csv"):
        assert gary.get(reverse(name, args=[version.pk])).status_code == 404
    assert gary.get(reverse("policies:documents")).status_code == 404
    stranger = as_member(other_company.admin)
    assert stranger.get(reverse("policies:version", args=[version.pk])).status_code == 404
    assert stranger.get(reverse("policies:read", args=[version.pk])).status_code == 404
    assert stranger.post(reverse("policies:acknowledge", args=[version.pk])).status_code == 404


def test_the_version_page_costs_the_same_queries_whatever_the_number_outstanding(
    company: Company, as_member: Login
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_member

    version = published_conduct(company)
    assert company.admin is not None
    ada = as_member(company.admin)
    url = reverse("policies:version", args=[version.pk])
    ada.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert ada.get(url).status_code == 200
    for i in range(15):
        make_member(company, name=f"Extra {i:02d}", email=f"extra{i}@acme.com.hk")
    with CaptureQueriesContext(connection) as many:
        page = ada.get(url)
    assert "Extra 14" in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
