"""The retention API as an administrator uses it: schedules, holds, preview, run now and the evidence; bad
input named by field and changing nothing; members without the permission and other companies refused."""

from __future__ import annotations

import datetime as dt

import pytest

from harbour.audit.models import AuditEvent
from harbour.core.time import today_in_hong_kong
from harbour.retention.former_members import years_before
from harbour.retention.models import ErasureRun, LegalHold, RetentionSchedule
from tests.api.helpers import ApiClient, api_as, assert_problem, body
from tests.factories import Company
from tests.retention.builders import leaver

pytestmark = pytest.mark.django_db


def _eight_years_ago() -> dt.date:
    today = today_in_hong_kong()
    return years_before(today, 8)


def test_schedules_start_at_the_category_defaults_not_enforced(admin_api: ApiClient) -> None:
    rows = {row["category"]: row for row in body(admin_api.get("/retention/schedules"))}
    former = rows["former_employees"]
    assert (former["days"], former["enabled"], former["saved"]) == (2557, False, False)
    assert former["maximum_days"] == 2557 and "HR-FORMER-7Y" in former["rule_ids"]
    assert rows["temporary_collaborators"]["days"] == 365


def test_changing_a_schedule_is_audited(company: Company, admin_api: ApiClient) -> None:
    response = admin_api.patch("/retention/schedules/former_employees", {"days": 2000, "enabled": True})
    assert response.status_code == 200, response.content
    data = body(response)
    assert (data["days"], data["enabled"], data["saved"]) == (2000, True, True)
    assert data["changed_by"]["name"] == "Ada Admin"
    event = AuditEvent.objects.for_tenant(company.tenant).filter(kind="retention.schedule_changed").get()
    assert event.after["days"] == 2000 and event.before["enabled"] is False


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/retention/schedules/former_employees", {"days": 0}, "days"),
        ("/retention/schedules/former_employees", {"days": 3000}, "days"),
        ("/retention/schedules/no_such_thing", {"enabled": True}, "category"),
    ],
)
def test_bad_schedule_input_is_refused_by_field(
    company: Company, admin_api: ApiClient, path: str, payload: dict[str, object], field: str
) -> None:
    assert_problem(admin_api.patch(path, payload), 422, field)
    assert not RetentionSchedule.objects.for_tenant(company.tenant).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "former_employees", "reason": "  "}, "reason"),
        ({"reason": "claim"}, "category"),
        ({"category": "nope", "reason": "claim"}, "category"),
        ({"category": "former_employees", "reason": "claim", "ends_on": "2020-01-01"}, "ends_on"),
    ],
)
def test_bad_holds_are_refused_by_field(
    company: Company, admin_api: ApiClient, payload: dict[str, object], field: str
) -> None:
    assert_problem(admin_api.post("/retention/holds", payload), 422, field)
    assert not LegalHold.objects.for_tenant(company.tenant).exists()


def test_hold_both_a_category_and_a_member_is_refused(company: Company, admin_api: ApiClient) -> None:
    assert company.member is not None
    payload = {"category": "former_employees", "member_id": str(company.member.pk), "reason": "claim"}
    assert_problem(admin_api.post("/retention/holds", payload), 422, "category")


def test_place_preview_run_and_read_the_evidence(company: Company, admin_api: ApiClient) -> None:
    held = leaver(company, _eight_years_ago(), name="Helga Held")
    gone = leaver(company, _eight_years_ago(), name="Gus Gone")
    admin_api.patch("/retention/schedules/former_employees", {"enabled": True})
    placed = admin_api.post(
        "/retention/holds", {"member_id": str(held.pk), "reason": "District Court action DCCJ 99/2026"}
    )
    assert placed.status_code == 201, placed.content
    assert body(placed)["member"]["name"] == "Helga Held" and body(placed)["live"] is True

    [preview] = body(admin_api.get("/retention/preview"))
    assert (preview["category"], preview["due"], preview["held"]) == ("former_employees", 1, 1)
    assert preview["records"] == [{"id": str(gone.pk), "label": f"Gus Gone ({gone.employee_number})"}]
    assert not ErasureRun.objects.for_tenant(company.tenant).exists()

    ran = admin_api.post("/retention/run", {"category": "former_employees"})
    assert ran.status_code == 200, ran.content
    [run] = body(ran)
    assert (run["erased"], run["held"], run["state"]) == (1, 1, "finished")
    assert len(run["digest"]) == 64 and run["started_by"]["name"] == "Ada Admin"
    assert "Gus" not in str(body(admin_api.get(f"/retention/runs/{run['id']}")))
    page = body(admin_api.get("/retention/runs"))
    assert [r["id"] for r in page["items"]] == [run["id"]]

    lifted = admin_api.post(f"/retention/holds/{body(placed)['id']}/lift", {"reason": "case closed"})
    assert lifted.status_code == 200 and body(lifted)["live"] is False
    assert_problem(admin_api.post(f"/retention/holds/{body(placed)['id']}/lift", {"reason": "again"}), 409)
    [again] = body(admin_api.post("/retention/run", {}))
    assert again["erased"] == 1


def test_run_of_a_disabled_schedule_is_a_conflict(admin_api: ApiClient) -> None:
    assert_problem(admin_api.post("/retention/run", {"category": "former_employees"}), 409, "category")
    assert_problem(admin_api.post("/retention/run", {"category": "nope"}), 422, "category")
    assert body(admin_api.post("/retention/run", {})) == []


def test_members_without_the_permission_see_nothing(company: Company, member_api: ApiClient) -> None:
    hold = LegalHold.objects.create(tenant=company.tenant, category="former_employees", reason="x")
    for path in ("/retention/schedules", "/retention/holds", "/retention/preview", "/retention/runs"):
        assert member_api.get(path).status_code in (403, 404)
    assert member_api.post(f"/retention/holds/{hold.pk}/lift", {"reason": "x"}).status_code == 404
    assert member_api.patch("/retention/schedules/former_employees", {"enabled": True}).status_code in (
        403,
        404,
    )
    assert not RetentionSchedule.objects.for_tenant(company.tenant).exists()


def test_other_companies_are_isolated(company: Company, other_company: Company, admin_api: ApiClient) -> None:
    assert other_company.admin is not None
    theirs = api_as(other_company.admin)
    leaver(company, _eight_years_ago())
    admin_api.patch("/retention/schedules/former_employees", {"enabled": True})
    hold = body(admin_api.post("/retention/holds", {"category": "former_employees", "reason": "claim"}))
    [run] = body(admin_api.post("/retention/run", {}))

    assert body(theirs.get("/retention/holds")) == []
    assert body(theirs.get("/retention/runs"))["items"] == []
    assert_problem(theirs.get(f"/retention/runs/{run['id']}"), 404)
    assert_problem(theirs.post(f"/retention/holds/{hold['id']}/lift", {"reason": "x"}), 404)
    their_former = next(
        r for r in body(theirs.get("/retention/schedules")) if r["category"] == "former_employees"
    )
    assert (their_former["enabled"], their_former["held"]) == (False, 0)
    assert_problem(theirs.post("/retention/holds", {"member_id": str(company.admin.pk), "reason": "x"}), 404)  # type: ignore[union-attr]
