"""A member's notices through the API: their own only, unread first, marked read one by one or all."""

from __future__ import annotations

from harbour.security.notices import post_notice
from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def test_notices_are_listed_and_marked_read(
    company: Company, admin_api: ApiClient, manager_api: ApiClient
) -> None:
    assert company.admin is not None and company.manager is not None
    first, second = (
        post_notice([company.admin], title=t)[0] for t in ("INC-1 is overdue", "INC-2 is overdue")
    )
    post_notice([company.manager], title="For the manager")
    listed = body(admin_api.get("/me/notices"))
    assert [n["title"] for n in listed] == ["INC-2 is overdue", "INC-1 is overdue"]
    assert body(admin_api.post(f"/me/notices/{second.pk}/read")) == {"marked": 1}
    assert [n["title"] for n in body(admin_api.get("/me/notices"))] == [
        "INC-1 is overdue",
        "INC-2 is overdue",
    ]
    assert_problem(manager_api.post(f"/me/notices/{first.pk}/read"), 404, "notice_id")
    assert body(admin_api.post("/me/notices/read")) == {"marked": 1}
    assert [n["title"] for n in body(manager_api.get("/me/notices"))] == ["For the manager"]
