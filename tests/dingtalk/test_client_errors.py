"""Errors are chosen by DingTalk's code, never by its message."""

from __future__ import annotations

import httpx
import pytest

from harbour.integrations.dingtalk.client import errors
from harbour.integrations.dingtalk.client.oapi import parse_envelope


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (40096, errors.CredentialsInvalid),
        ("invalidClientIdOrSecret", errors.CredentialsInvalid),
        ("42001", errors.TokenInvalid),
        ("InvalidAuthentication", errors.TokenInvalid),
        (90018, errors.Throttled),
        ("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", errors.Throttled),
        ("Forbidden.AccessDenied.QpsLimitForSomethingNew", errors.Throttled),
        (90020, errors.QuotaExceeded),
        ("Forbidden.AccessDenied.ApiCountLimitForOrg", errors.QuotaExceeded),
        (60011, errors.NoPermission),
        ("Forbidden.AccessDenied.AccessTokenPermissionDenied", errors.NoPermission),
        (50004, errors.OutOfScope),
        (60121, errors.NotFoundInDingTalk),
        (60021, errors.AlreadyExists),
        (40022, errors.Refused),
        (-1, errors.ServerError),
        (22, errors.UnknownMethod),
        (123456, errors.DingTalkError),
    ],
)
def test_code_chooses_the_class(code: str | int, expected: type[errors.DingTalkError]) -> None:
    assert type(errors.error_for(code, "any message")) is expected


def test_unknown_code_with_a_5xx_status_is_a_server_error() -> None:
    assert type(errors.error_for("SomethingBroke", http_status=503)) is errors.ServerError


def test_every_class_explains_itself() -> None:
    classes: set[type[errors.DingTalkError]] = {
        *errors.CODE_TO_ERROR.values(),
        errors.DingTalkError,
        errors.RobotError,
        errors.RobotThrottled,
    }
    for cls in classes:
        assert str(cls.explanation)


def response(body: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("POST", "https://oapi.dingtalk.com/x"))


def test_errcode_88_is_unwrapped_to_its_sub_code() -> None:
    body = {
        "errcode": 88,
        "sub_code": "40014",
        "sub_msg": "不合法的access_token",
        "errmsg": "…",
        "request_id": "r1",
    }
    with pytest.raises(errors.TokenInvalid) as caught:
        parse_envelope("/topapi/v2/user/get", response(body))
    assert caught.value.code == "40014"
    assert caught.value.errcode == 40014
    assert caught.value.request_id == "r1"
    assert caught.value.api == "/topapi/v2/user/get"


def test_the_message_never_decides_the_class() -> None:
    body = {"errcode": 60121, "errmsg": "access_token expired, throttled, 系统繁忙"}
    with pytest.raises(errors.NotFoundInDingTalk):
        parse_envelope("/topapi/v2/user/get", response(body))


def test_string_numbers_from_the_documentation_are_accepted() -> None:
    assert parse_envelope("/p", response({"errcode": "0", "errmsg": "ok", "result": {"a": 1}}))["result"] == {
        "a": 1
    }


def test_a_5xx_page_without_json_is_a_server_error() -> None:
    broken = httpx.Response(
        502, text="<html>bad gateway</html>", request=httpx.Request("POST", "https://x/p")
    )
    with pytest.raises(errors.ServerError) as caught:
        parse_envelope("/p", broken)
    assert caught.value.http_status == 502
