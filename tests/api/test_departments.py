"""Departments through the API: create, rename, move, reorder, delete, list and filter."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import ApiClient, assert_problem, body
from tests.factories import Company


def _create(api: ApiClient, name: str, parent: str | None = None, **extra: Any) -> dict[str, Any]:
    response = api.post("/departments", {"name": name, "parent_id": parent, **extra})
    assert response.status_code == 201, response.content
    return body(response)  # type: ignore[no-any-return]


def _children(api: ApiClient, parent: str) -> list[str]:
    items = body(api.get("/departments", parent_id=parent))["items"]
    return [d["name"] for d in sorted(items, key=lambda d: d["position"])]


def test_department_tree_story(company: Company, admin_api: ApiClient) -> None:
    ops = _create(admin_api, "Operations", name_zh="營運部")
    assert ops["parent_id"] is None and ops["depth"] == 0 and ops["name_zh"] == "營運部"
    logistics = _create(admin_api, "Logistics", ops["id"])
    fleet = _create(admin_api, "Fleet", logistics["id"])
    assert fleet["depth"] == 2 and fleet["path"].startswith(logistics["path"])

    # rename keeps the Chinese name unless given
    response = admin_api.patch(f"/departments/{logistics['id']}", {"name": "Logistics & Shipping"})
    assert response.status_code == 200
    assert body(response)["name"] == "Logistics & Shipping"
    response = admin_api.patch(f"/departments/{logistics['id']}", {"name_zh": "物流部"})
    assert body(response)["name"] == "Logistics & Shipping" and body(response)["name_zh"] == "物流部"

    # move Logistics (with Fleet) under Finance: the whole subtree follows
    finance = str(company.departments["finance"].id)
    response = admin_api.post(f"/departments/{logistics['id']}/move", {"parent_id": finance})
    assert response.status_code == 200, response.content
    moved = body(response)
    assert moved["parent_id"] == finance and moved["depth"] == 1
    fleet_now = body(admin_api.get(f"/departments/{fleet['id']}"))
    assert fleet_now["depth"] == 2 and fleet_now["path"].startswith(moved["path"])

    # and back to the top level
    response = admin_api.post(f"/departments/{logistics['id']}/move", {"parent_id": None})
    assert body(response)["parent_id"] is None and body(response)["depth"] == 0

    # Operations is now empty: delete it; then it is gone
    assert admin_api.delete(f"/departments/{ops['id']}").status_code == 204
    assert_problem(admin_api.get(f"/departments/{ops['id']}"), 404, "department_id")


def test_reorder_siblings(company: Company, admin_api: ApiClient) -> None:
    parent = _create(admin_api, "Branches")["id"]
    for name in ("Central", "Kowloon", "Sha Tin"):
        _create(admin_api, name, parent)
    assert _children(admin_api, parent) == ["Central", "Kowloon", "Sha Tin"]
    sha_tin = next(
        d for d in body(admin_api.get("/departments", parent_id=parent))["items"] if d["name"] == "Sha Tin"
    )
    response = admin_api.post(f"/departments/{sha_tin['id']}/move", {"parent_id": parent, "position": 0})
    assert response.status_code == 200 and body(response)["position"] == 0
    assert _children(admin_api, parent) == ["Sha Tin", "Central", "Kowloon"]


def test_list_is_in_path_order_and_searchable(company: Company, admin_api: ApiClient) -> None:
    items = body(admin_api.get("/departments"))["items"]
    paths = [d["path"] for d in items]
    assert paths == sorted(paths) and len(items) == 3
    assert [d["name"] for d in body(admin_api.get("/departments", q="財務"))["items"]] == ["Finance"]
    assert [d["name"] for d in body(admin_api.get("/departments", q="payable"))["items"]] == [
        "Accounts Payable"
    ]
    page = body(admin_api.get("/departments", limit=2))
    rest = body(admin_api.get("/departments", limit=2, cursor=page["next_cursor"]))
    assert [d["path"] for d in page["items"] + rest["items"]] == paths and rest["next_cursor"] is None


def test_department_manager_works_inside_their_subtree(company: Company, manager_api: ApiClient) -> None:
    finance = str(company.departments["finance"].id)
    visible = {d["name"] for d in body(manager_api.get("/departments"))["items"]}
    assert visible == {"Finance", "Accounts Payable"}
    assert _create(manager_api, "Tax", finance)["parent_id"] == finance
    assert_problem(manager_api.post("/departments", {"name": "Shadow IT"}), 403)  # top level is tenant-wide
    hr = str(company.departments["hr"].id)
    assert_problem(manager_api.get(f"/departments/{hr}"), 404)
    assert_problem(manager_api.post("/departments", {"name": "Shadow HR", "parent_id": hr}), 404, "parent_id")


def test_sibling_names_are_unique(company: Company, admin_api: ApiClient) -> None:
    assert_problem(admin_api.post("/departments", {"name": "finance"}), 409, "name")
