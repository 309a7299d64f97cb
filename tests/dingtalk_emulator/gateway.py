"""The request pipeline in front of every handler: routing (unknown legacy method → errcode 22), injected
failures, token authentication per family, the per-app per-API QPS window, scopes, the monthly quota, the
envelope, and the call log."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.dingtalk_emulator.envelopes import (
    ApiError,
    OapiError,
    Response,
    api_failure,
    api_ok,
    oapi_failure,
    oapi_ok,
    wrapped,
)
from tests.dingtalk_emulator.routing import OAPI, Request, Route, Router
from tests.dingtalk_emulator.throttle import MonthlyQuota, SlidingWindow
from tests.dingtalk_emulator.tokens import TokenState, TokenStore

TOKEN_HEADER = "x-acs-dingtalk-access-token"


@dataclass(frozen=True)
class CallRecord:
    path: str
    api: str  # the route's path pattern: what the per-API limit counts
    at: float  # time.monotonic()
    status: str  # "ok" | "throttled" | "error"
    code: str | None  # errcode / sub_code / code of a failure, None on success


@dataclass
class InjectedFailure:
    errcode: int | None
    sub_code: str | None
    http_status: int | None
    code: str | None
    times: int


def _denial(family: str, kind: str) -> Exception:
    """The failure each family reports for a gateway refusal (reference §0, §1, §11)."""
    oapi = {
        "missing": ("40000", "access_token is missing"),
        "invalid": ("40014", "invalid access_token"),
        "throttled": ("90018", "too many calls to this API by this app per second"),
        "scope": ("60011", "the app lacks permission for this API"),
        "quota": ("90020", "the organisation's monthly API quota is used up"),
    }
    api = {
        "missing": (400, "AuthenticationFailed.MissingParameter", "x-acs-dingtalk-access-token is missing"),
        "invalid": (400, "InvalidAuthentication", "the access token is invalid or expired"),
        "throttled": (403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "QPS limit for app and API"),
        "scope": (403, "Forbidden.AccessDenied.AccessTokenPermissionDenied", "the app lacks this permission"),
        "quota": (403, "Forbidden.AccessDenied.ApiCountLimitForOrg", "monthly API quota used up"),
    }
    if family == OAPI:
        return wrapped(*oapi[kind])
    return ApiError(*api[kind])


class Gateway:
    def __init__(
        self,
        *,
        router: Router,
        tokens: TokenStore,
        appkey: str,
        window: SlidingWindow,
        quota: MonthlyQuota,
        granted: Callable[[str], bool],
    ):
        self.router = router
        self.tokens = tokens
        self.appkey = appkey
        self.window = window
        self.quota = quota
        self.granted = granted
        self.calls: list[CallRecord] = []
        self.failures: dict[str, list[InjectedFailure]] = {}

    def fail_next(self, path: str, failure: InjectedFailure) -> None:
        self.failures.setdefault(path, []).append(failure)

    def handle(self, req: Request) -> Response:
        family = req.family
        matched = self.router.match(req.method, req.path)
        if matched is None:
            error: Exception = (
                OapiError(22, "unknown method")
                if family == OAPI
                else ApiError(404, "InvalidAction.NotFound", "the API does not exist")
            )
            return self._finish(req, req.path, family, error)
        item, req.path_params = matched
        injected = self._injected(req.path, item.pattern)
        if injected is not None:
            response, code = self._injected_response(family, injected)
            self._log(req.path, item.pattern, "error", code)
            return response
        try:
            result = self._run(item, req, family)
        except (OapiError, ApiError) as failure:
            return self._finish(req, item.pattern, family, failure)
        self._log(req.path, item.pattern, "ok", None)
        return oapi_ok(result) if family == OAPI else api_ok(result)

    def _run(self, item: Route, req: Request, family: str) -> Any:
        if item.authenticated:
            self._authenticate(req, family)
        if item.throttled and not self.window.admit((self.appkey, item.pattern)):
            raise _denial(family, "throttled")
        if item.scope is not None and not self.granted(item.scope):
            raise _denial(family, "scope")
        if not item.contacts and not self.quota.admit():
            raise _denial(family, "quota")
        return item.handler(req)

    def _authenticate(self, req: Request, family: str) -> None:
        if family == OAPI:
            token = req.query.get("access_token")
        else:
            token = next((v for k, v in req.headers.items() if k.lower() == TOKEN_HEADER), None)
        if not token:
            raise _denial(family, "missing")
        if self.tokens.state(token) is not TokenState.VALID:
            raise _denial(family, "invalid")

    def _finish(self, req: Request, api: str, family: str, failure: Exception) -> Response:
        if isinstance(failure, OapiError):
            code = failure.code
            throttled = code in ("90018", "90002")
            response = (
                oapi_failure(failure) if family == OAPI else api_failure(ApiError(400, code, failure.errmsg))
            )
        else:
            assert isinstance(failure, ApiError)
            code = failure.code
            throttled = code.startswith("Forbidden.AccessDenied.Qp")
            response = api_failure(failure)
        self._log(req.path, api, "throttled" if throttled else "error", code)
        return response

    def _injected(self, path: str, pattern: str) -> InjectedFailure | None:
        for key in (path, pattern):
            queue = self.failures.get(key)
            if queue:
                failure = queue[0]
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
                return failure
        return None

    def _injected_response(self, family: str, failure: InjectedFailure) -> tuple[Response, str]:
        status = failure.http_status
        if family == OAPI:
            if failure.errcode is None and failure.sub_code is None and status and status >= 400:
                page = f"<html><body><h1>{status}</h1>injected failure</body></html>"
                return Response(status, page, "text/html"), str(status)
            errcode = failure.errcode if failure.errcode is not None else (88 if failure.sub_code else -1)
            message = "system busy" if errcode == -1 else "injected failure"
            error = OapiError(errcode, message, sub_code=failure.sub_code, http_status=status or 200)
            return oapi_failure(error), error.code
        code = failure.code or ("ServiceUnavailable" if failure.errcode is None else str(failure.errcode))
        if status is None:
            status = 403 if code.startswith("Forbidden") else 503 if failure.code is None else 400
        return api_failure(ApiError(status, code, "injected failure")), code

    def _log(self, path: str, api: str, status: str, code: str | None) -> None:
        self.calls.append(CallRecord(path, api, time.monotonic(), status, code))
