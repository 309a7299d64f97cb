"""The new ``api`` host through the official SDK (``alibabacloud_dingtalk``): the app token, leave records and
user search. The SDK raises ``TeaException`` on 4xx/5xx; it becomes the same DingTalkError classes as the
legacy host's errcodes, chosen by ``code`` (and the HTTP status when the code is unknown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from alibabacloud_dingtalk.contact_1_0 import client as contact_client
from alibabacloud_dingtalk.contact_1_0 import models as contact_models
from alibabacloud_dingtalk.oauth2_1_0 import client as oauth2_client
from alibabacloud_dingtalk.oauth2_1_0 import models as oauth2_models
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_util import models as util_models
from Tea.exceptions import TeaException

from .errors import DingTalkError, ServerError, error_for
from .oapi import CONNECTION_ERROR

T = TypeVar("T")

TOKEN_PATH = "/v1.0/oauth2/accessToken"  # noqa: S105 (a path, not a secret)
LEAVE_RECORDS_PATH = "/v1.0/contact/empLeaveRecords"
USER_SEARCH_PATH = "/v1.0/contact/users/search"


def sdk_config(api_base_url: str, *, timeout: float) -> open_api_models.Config:
    """``https://api.dingtalk.com`` → protocol "https", endpoint "api.dingtalk.com" (host:port kept)."""
    parts = urlsplit(api_base_url if "://" in api_base_url else f"https://{api_base_url}")
    millis = int(timeout * 1000)
    return open_api_models.Config(
        protocol=parts.scheme or "https",
        endpoint=parts.netloc,
        region_id="central",
        read_timeout=millis,
        connect_timeout=millis,
    )


def translate_sdk_error(api: str, exc: Exception) -> DingTalkError:
    """A TeaException (or a transport failure inside the SDK) as a DingTalkError."""
    data = getattr(exc, "data", None)
    data = data if isinstance(data, dict) else {}
    status = getattr(exc, "statusCode", None) or data.get("statusCode")
    http_status = int(status) if status is not None else None
    code = data.get("code") or data.get("Code") or getattr(exc, "code", None)
    request_id = data.get("requestid") or data.get("RequestId")
    message = str(data.get("message") or data.get("Message") or getattr(exc, "message", "") or "")
    if not code or code == "None":
        if http_status is None or http_status >= 500:
            return ServerError(
                CONNECTION_ERROR if http_status is None else f"http_{http_status}",
                message,
                api=api,
                http_status=http_status,
            )
        code = f"http_{http_status}"
    return error_for(str(code), message, api=api, http_status=http_status, request_id=request_id)


class NewApiTransport:
    """One request at a time to the new host; retries and limits belong to the caller."""

    def __init__(self, api_base_url: str, *, timeout: float) -> None:
        config = sdk_config(api_base_url, timeout=timeout)
        self._oauth2 = oauth2_client.Client(config)
        self._contact = contact_client.Client(config)
        self._runtime = util_models.RuntimeOptions(
            read_timeout=config.read_timeout, connect_timeout=config.connect_timeout
        )

    def _call(self, api: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except TeaException as exc:
            raise translate_sdk_error(api, exc) from exc
        except OSError as exc:
            raise ServerError(CONNECTION_ERROR, repr(exc), api=api) from exc

    def fetch_token(self, app_key: str, app_secret: str) -> tuple[str, float]:
        """(access token, lifetime in seconds)."""
        request = oauth2_models.GetAccessTokenRequest(app_key=app_key, app_secret=app_secret)
        response = self._call(
            TOKEN_PATH, lambda: self._oauth2.get_access_token_with_options(request, {}, self._runtime)
        )
        body = response.body
        return str(body.access_token), float(body.expire_in or 7200)

    def leave_records(
        self, token: str, *, start_time: str, end_time: str | None, next_token: str | None, max_results: int
    ) -> dict[str, Any]:
        request = contact_models.ListEmpLeaveRecordsRequest(
            start_time=start_time, end_time=end_time, next_token=next_token, max_results=max_results
        )
        headers = contact_models.ListEmpLeaveRecordsHeaders(x_acs_dingtalk_access_token=token)
        response = self._call(
            LEAVE_RECORDS_PATH,
            lambda: self._contact.list_emp_leave_records_with_options(request, headers, self._runtime),
        )
        return response.body.to_map() if response.body is not None else {}

    def search_users(self, token: str, *, query: str, offset: int, size: int) -> dict[str, Any]:
        request = contact_models.SearchUserRequest(query_word=query, offset=offset, size=size)
        headers = contact_models.SearchUserHeaders(x_acs_dingtalk_access_token=token)
        response = self._call(
            USER_SEARCH_PATH, lambda: self._contact.search_user_with_options(request, headers, self._runtime)
        )
        return response.body.to_map() if response.body is not None else {}
