"""``DingTalkClient``: DingTalk's directory (departments, users, roles, admins, leave records) as typed calls.

Directory CRUD exists only on the legacy host; leave records and search only on the new one. Every call goes
through one ``CallRunner`` (rate limit, retries, token refresh). The tree is walked level by level with
``listsub`` because DingTalk has no endpoint that returns it whole, and user lists are read page by page
until ``has_more`` is false.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from ..models import DEFAULT_API_BASE_URL, DEFAULT_OAPI_BASE_URL
from .errors import NotFoundInDingTalk
from .newapi import LEAVE_RECORDS_PATH, TOKEN_PATH, USER_SEARCH_PATH, NewApiTransport
from .oapi import OapiTransport
from .ratelimit import RateLimiter, shared_limiter
from .tokens import PROCESS_TOKENS, TokenCache, token_key
from .transport import BACKOFF_BASE, CallRunner, ClientStats

USER_PAGE_MAX = 100
ROLE_PAGE_MAX = 200
ROLE_MEMBER_PAGE_MAX = 100
LEAVE_PAGE_MAX = 50
SEARCH_PAGE_MAX = 100


def comma_list(values: Any) -> Any:
    """DingTalk takes id lists as comma-separated strings on write (and answers int arrays on read)."""
    if isinstance(values, list | tuple | set):
        return ",".join(str(value) for value in values)
    return values


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str | int) for item in value)


def iso8601(moment: datetime) -> str:
    """UTC ISO-8601 as the new API expects; naive datetimes are taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DingTalkClient:
    """One DingTalk internal app. Safe to share between threads; tokens and rate windows are per process."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        oapi_base_url: str = DEFAULT_OAPI_BASE_URL,
        api_base_url: str = DEFAULT_API_BASE_URL,
        qps_per_api: int | None = 20,
        timeout: float = 10.0,
        max_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        token_cache: TokenCache | None = None,
        limiter: RateLimiter | None = None,
        backoff_base: float = BACKOFF_BASE,
    ) -> None:
        self.app_key = app_key
        self.oapi_base_url = oapi_base_url.rstrip("/")
        self.api_base_url = api_base_url.rstrip("/")
        self.qps_per_api = qps_per_api
        real_time = clock is time.monotonic and sleep is time.sleep
        # Tests with a fake clock get their own cache and windows, never the process-wide ones.
        self.tokens = token_cache or (PROCESS_TOKENS if real_time else TokenCache(clock=clock))
        self.limiter = limiter or (
            shared_limiter(qps_per_api) if real_time else RateLimiter(qps_per_api, clock=clock, sleep=sleep)
        )
        self._token_key = token_key(self.api_base_url, app_key, app_secret)
        self._app_secret = app_secret
        self._oapi = OapiTransport(self.oapi_base_url, timeout=timeout)
        self._newapi = NewApiTransport(self.api_base_url, timeout=timeout)
        self._runner = CallRunner(
            limiter=self.limiter,
            limiter_scope=(self.oapi_base_url, self.api_base_url, app_key),
            token=self.access_token,
            drop_token=lambda token: self.tokens.drop(self._token_key, token),
            max_retries=max_retries,
            sleep=sleep,
            backoff_base=backoff_base,
        )

    # -- plumbing ------------------------------------------------------------------------------------------

    @property
    def stats(self) -> ClientStats:
        return self._runner.stats

    def access_token(self) -> str:
        """The app's token, from the process cache or fetched (and retried if throttled)."""
        return self.tokens.get(self._token_key, self._fetch_token)

    def _fetch_token(self) -> tuple[str, float]:
        return self._runner.run(
            TOKEN_PATH,
            lambda _token: self._newapi.fetch_token(self.app_key, self._app_secret),
            authenticated=False,
        )

    def call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST one legacy oapi call; returns the whole envelope (most callers want ``["result"]``)."""
        payload = body or {}
        return self._runner.run(path, lambda token: self._oapi.post(path, token, payload))

    def _result(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.call(path, body).get("result")

    def close(self) -> None:
        """Release the HTTP connections (the client is also a context manager)."""
        self._oapi.close()

    def __enter__(self) -> DingTalkClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- departments ---------------------------------------------------------------------------------------

    def get_department(self, dept_id: int) -> dict[str, Any]:
        return dict(self._result("/topapi/v2/department/get", {"dept_id": dept_id}) or {})

    def list_sub_departments(self, dept_id: int = 1) -> list[dict[str, Any]]:
        """The direct children of a department (one level)."""
        return list(self._result("/topapi/v2/department/listsub", {"dept_id": dept_id}) or [])

    def list_sub_department_ids(self, dept_id: int) -> list[int]:
        result = self._result("/topapi/v2/department/listsubid", {"dept_id": dept_id}) or {}
        return [int(value) for value in result.get("dept_id_list", [])]

    def create_department(
        self,
        *,
        name: str,
        parent_id: int,
        order: int | None = None,
        source_identifier: str | None = None,
        **extra: Any,
    ) -> int:
        body: dict[str, Any] = {"name": name, "parent_id": parent_id}
        if order is not None:
            body["order"] = order
        if source_identifier is not None:
            body["source_identifier"] = source_identifier
        body.update(self._department_fields(extra))
        result = self._result("/topapi/v2/department/create", body) or {}
        return int(result["dept_id"])

    def update_department(self, dept_id: int, **fields: Any) -> None:
        self.call("/topapi/v2/department/update", {"dept_id": dept_id, **self._department_fields(fields)})

    def delete_department(self, dept_id: int) -> None:
        self.call("/topapi/v2/department/delete", {"dept_id": dept_id})

    @staticmethod
    def _department_fields(fields: dict[str, Any]) -> dict[str, Any]:
        """Id lists (permits, managers) go as comma strings."""
        return {key: comma_list(value) if _is_scalar_list(value) else value for key, value in fields.items()}

    def walk_departments(self, root: int = 1) -> Iterator[dict[str, Any]]:
        """Every department under ``root`` (not root itself), breadth first: each level before the next."""
        pending: deque[int] = deque([root])
        while pending:
            for child in self.list_sub_departments(pending.popleft()):
                yield child
                pending.append(int(child["dept_id"]))

    # -- users ---------------------------------------------------------------------------------------------

    def get_user(self, userid: str) -> dict[str, Any]:
        return dict(self._result("/topapi/v2/user/get", {"userid": userid}) or {})

    def iter_department_users(self, dept_id: int, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """The department's direct members, all pages."""
        cursor = 0
        size = max(1, min(page_size, USER_PAGE_MAX))
        while True:
            page = (
                self._result("/topapi/v2/user/list", {"dept_id": dept_id, "cursor": cursor, "size": size})
                or {}
            )
            yield from page.get("list", [])
            if not page.get("has_more") or page.get("next_cursor") is None:
                return
            cursor = page["next_cursor"]

    def create_user(
        self, *, name: str, mobile: str, dept_id_list: list[int], userid: str | None = None, **fields: Any
    ) -> tuple[str, str]:
        """Create a member; returns (userid, unionid)."""
        body: dict[str, Any] = {"name": name, "mobile": mobile, "dept_id_list": comma_list(dept_id_list)}
        if userid is not None:
            body["userid"] = userid
        body.update(fields)
        result = self._result("/topapi/v2/user/create", body) or {}
        return str(result["userid"]), str(result.get("unionId") or result.get("unionid") or "")

    def update_user(self, userid: str, **fields: Any) -> None:
        if "mobile" in fields:
            raise ValueError(
                _(
                    "DingTalk does not allow changing a member's mobile number (errcode 40022): "
                    "the member must be deleted and added again."
                )
            )
        if "dept_id_list" in fields:
            fields["dept_id_list"] = comma_list(fields["dept_id_list"])
        self.call("/topapi/v2/user/update", {"userid": userid, **fields})

    def delete_user(self, userid: str) -> None:
        self.call("/topapi/v2/user/delete", {"userid": userid})

    def userid_by_mobile(self, mobile: str) -> str | None:
        try:
            result = self._result("/topapi/v2/user/getbymobile", {"mobile": mobile}) or {}
        except NotFoundInDingTalk:
            return None
        return result.get("userid") or None

    def userid_by_unionid(self, unionid: str) -> str | None:
        try:
            result = self._result("/topapi/user/getbyunionid", {"unionid": unionid}) or {}
        except NotFoundInDingTalk:
            return None
        return result.get("userid") or None

    def count_users(self, *, only_active: bool) -> int:
        result = self._result("/topapi/user/count", {"only_active": only_active}) or {}
        return int(result.get("count", 0))

    def list_admins(self) -> list[dict[str, Any]]:
        return list(self._result("/topapi/user/listadmin") or [])

    def admin_scope(self, userid: str) -> list[int]:
        result = self._result("/topapi/user/get_admin_scope", {"userid": userid}) or {}
        return [int(value) for value in result.get("dept_ids", [])]

    # -- roles ---------------------------------------------------------------------------------------------

    def iter_role_groups(self) -> Iterator[dict[str, Any]]:
        """Role groups ``{groupId, name, roles[{id, name}]}``, all pages."""
        offset = 0
        while True:
            page = self._result("/topapi/role/list", {"size": ROLE_PAGE_MAX, "offset": offset}) or {}
            groups = page.get("list", [])
            yield from groups
            if not page.get("hasMore") or not groups:
                return
            offset += len(groups)

    def iter_role_members(self, role_id: int) -> Iterator[dict[str, Any]]:
        """Members of a role ``{userid, name, manageScopes}``, all pages."""
        offset = 0
        while True:
            body = {"role_id": role_id, "size": ROLE_MEMBER_PAGE_MAX, "offset": offset}
            page = self._result("/topapi/role/simplelist", body) or {}
            members = page.get("list", [])
            yield from members
            if not page.get("hasMore") or not members:
                return
            offset += len(members)

    # -- new API (SDK) -------------------------------------------------------------------------------------

    def iter_leave_records(self, start: datetime, end: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Leave records ``{userId, name, stateCode, mobile, leaveTime, leaveReason}`` since ``start``."""
        start_time, end_time = iso8601(start), iso8601(end) if end is not None else None
        next_token: str | None = None
        while True:
            fetch = partial(
                self._newapi.leave_records,
                start_time=start_time,
                end_time=end_time,
                next_token=next_token,
                max_results=LEAVE_PAGE_MAX,
            )
            page = self._runner.run(LEAVE_RECORDS_PATH, fetch)
            yield from page.get("records") or []
            next_token = page.get("nextToken") or None
            if next_token is None or not page.get("records"):
                return

    def search_user_ids(self, query: str) -> list[str]:
        """Userids of members whose name matches ``query`` (DingTalk's own search)."""
        found: list[str] = []
        offset = 0
        while True:
            fetch = partial(self._newapi.search_users, query=query, offset=offset, size=SEARCH_PAGE_MAX)
            page = self._runner.run(USER_SEARCH_PATH, fetch)
            batch = [str(userid) for userid in page.get("list") or []]
            found.extend(batch)
            if not page.get("hasMore") or not batch:
                return found
            offset += len(batch)
