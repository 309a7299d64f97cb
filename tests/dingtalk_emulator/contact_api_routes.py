"""New-API contact endpoints (``contact_1_0``): leave records and user search (reference §2.2, §2.4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.dingtalk_emulator import scopes
from tests.dingtalk_emulator.directory import Directory
from tests.dingtalk_emulator.envelopes import ApiError
from tests.dingtalk_emulator.routing import Request, Route, route


def _moment(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        raise ApiError(400, "invalidParameter", f"{name} is not an ISO-8601 time") from None


def _count(value: Any, name: str, *, default: int, limit: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "invalidParameter", f"{name} is not a number") from None
    if not 0 <= number <= limit:
        raise ApiError(400, "invalidParameter", f"{name} must be 0 to {limit}")
    return number


def contact_api_routes(directory: Directory) -> list[Route]:
    def leave_records(req: Request) -> dict[str, Any]:
        start = _moment(req.query.get("startTime"), "startTime")
        if start is None:
            raise ApiError(400, "MissingstartTime", "startTime is mandatory for this action")
        end = _moment(req.query.get("endTime"), "endTime")
        offset = _count(req.query.get("nextToken"), "nextToken", default=0, limit=10**9)
        size = _count(req.query.get("maxResults"), "maxResults", default=50, limit=50)
        matching = [
            r
            for r in directory.leave_records
            if start <= (moment := datetime.fromisoformat(r["leaveTime"]).timestamp())
            and (end is None or moment < end)
        ]
        body: dict[str, Any] = {"records": matching[offset : offset + size]}
        if offset + size < len(matching):
            body["nextToken"] = str(offset + size)
        return body

    def search(req: Request) -> dict[str, Any]:
        body = req.json()
        word = str(body.get("queryWord") or "").strip().lower()
        if not word:
            raise ApiError(400, "MissingqueryWord", "queryWord is mandatory for this action")
        offset = _count(body.get("offset"), "offset", default=0, limit=10**9)
        size = _count(body.get("size"), "size", default=10, limit=100)
        exact = bool(body.get("fullMatchField"))
        found = [
            u["userid"]
            for u in directory.users.values()
            if directory.user_visible(u)
            and (word == u["name"].lower() if exact else word in u["name"].lower())
        ]
        return {
            "hasMore": offset + size < len(found),
            "totalCount": len(found),
            "list": found[offset : offset + size],
        }

    return [
        route("GET", "/v1.0/contact/empLeaveRecords", leave_records, scope=scopes.MEMBER),
        route("POST", "/v1.0/contact/users/search", search, scope=scopes.MEMBER),
    ]
