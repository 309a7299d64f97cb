"""DingTalk's refusals as exceptions, chosen by error code only.

DingTalk's messages are Chinese, vary between deployments and change without notice, so the class of an error
is decided by one table of codes (legacy ``errcode``/``sub_code`` numbers written as strings, and the new
API's string ``code``). Each class carries a one-line ``explanation``: what it means for the administrator.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DingTalkError(Exception):
    """A call DingTalk refused, or that could not be completed.

    ``code`` is DingTalk's own code as a string: the ``sub_code`` when the legacy errcode is 88, the errcode
    otherwise, or the new API's ``code``. ``errcode`` is the same code as an int when it is numeric.
    """

    explanation: ClassVar[str | Promise] = _("DingTalk refused the request.")

    def __init__(
        self,
        code: str | int,
        message: str = "",
        *,
        api: str = "",
        http_status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        self.code = str(code)
        self.message = message
        self.api = api
        self.http_status = http_status
        self.request_id = request_id
        super().__init__(f"{api or 'DingTalk'}: {self.code} {message}".strip())

    @property
    def errcode(self) -> int | None:
        """The code as a number for the legacy API, None for the new API's string codes."""
        try:
            return int(self.code)
        except ValueError:
            return None


class CredentialsInvalid(DingTalkError):
    explanation = _(
        "The AppKey or AppSecret is wrong, or the app was removed in DingTalk's developer console."
    )


class TokenInvalid(DingTalkError):
    explanation = _("DingTalk did not accept the access token even after a fresh one was requested.")


class Throttled(DingTalkError):
    explanation = _("DingTalk limited the call rate and the call still failed after several retries.")


class QuotaExceeded(DingTalkError):
    explanation = _("The company's monthly DingTalk API allowance is used up; it resets next month.")


class NoPermission(DingTalkError):
    explanation = _(
        "The app lacks this API permission, or the server's IP address is not allowed, in DingTalk's "
        "developer console."
    )


class OutOfScope(DingTalkError):
    explanation = _("The department or member is outside the app's contact visibility range in DingTalk.")


class NotFoundInDingTalk(DingTalkError):
    explanation = _("The department or member does not exist in DingTalk (any more).")


class AlreadyExists(DingTalkError):
    explanation = _(
        "DingTalk already has a department with this name under the parent, or a member with this userid, "
        "mobile number or email address."
    )


class Refused(DingTalkError):
    explanation = _(
        "DingTalk's directory rules refused the change (for example a bad value or a protected item)."
    )


class ServerError(DingTalkError):
    explanation = _("DingTalk was busy or unreachable and the call still failed after several retries.")


class UnknownMethod(DingTalkError):
    explanation = _("DingTalk does not know this API; the connector or the API base URL is wrong.")


def _codes(cls: type[DingTalkError], *codes: str | int) -> dict[str, type[DingTalkError]]:
    return {str(code): cls for code in codes}


CODE_TO_ERROR: dict[str, type[DingTalkError]] = {
    **_codes(CredentialsInvalid, 40096, 40089, "invalidClientIdOrSecret"),
    **_codes(
        TokenInvalid,
        40014,
        42001,
        41001,
        40000,
        "InvalidAuthentication",
        "AuthenticationFailed.MissingParameter",
    ),
    **_codes(
        Throttled,
        90018,
        90002,
        410100,
        660026,
        "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
        "Forbidden.AccessDenied.QpmLimitForAppkeyAndApi",
        "Forbidden.AccessDenied.QpsLimitForApi",
    ),
    **_codes(QuotaExceeded, 90020, "Forbidden.AccessDenied.ApiCountLimitForOrg", "ApiCountLimitForOrg"),
    **_codes(
        NoPermission,
        60011,
        60020,
        "Forbidden.AccessDenied.AccessTokenPermissionDenied",
        "AccessTokenPermissionDenied",
        "Forbidden.AccessDenied.IpNotInWhiteList",
        "IpNotInWhiteList",
    ),
    **_codes(OutOfScope, 50002, 50004),
    **_codes(NotFoundInDingTalk, 60003, 60004, 60121, 33012, 40003, 60111),
    **_codes(AlreadyExists, 60016, 60021, 60102, 60104, 60106, 60107, 60108),
    **_codes(
        Refused,
        40022,
        60005,
        60006,
        60007,
        60018,
        60010,
        60002,
        60110,
        60001,
        60009,
        60103,
        60105,
        60112,
        60120,
        60123,
        60128,
        40009,
        40035,
    ),
    **_codes(ServerError, -1),
    **_codes(UnknownMethod, 22),
}

_THROTTLE_CODE_PREFIXES = ("Forbidden.AccessDenied.Qps", "Forbidden.AccessDenied.Qpm")


def error_class_for(code: str | int, http_status: int | None = None) -> type[DingTalkError]:
    """The class for a DingTalk code; unknown codes fall back on the HTTP status (5xx: ServerError)."""
    key = str(code)
    if key in CODE_TO_ERROR:
        return CODE_TO_ERROR[key]
    if key.startswith(_THROTTLE_CODE_PREFIXES):
        return Throttled
    if http_status is not None and http_status >= 500:
        return ServerError
    return DingTalkError


def error_for(
    code: str | int,
    message: str = "",
    *,
    api: str = "",
    http_status: int | None = None,
    request_id: str | None = None,
) -> DingTalkError:
    """Build the right exception for a code DingTalk answered with."""
    cls = error_class_for(code, http_status)
    return cls(code, message, api=api, http_status=http_status, request_id=request_id)


class RobotError(DingTalkError):
    """The group robot webhook refused a message (310000: signature, timestamp, keyword or IP check)."""

    explanation = _(
        "The DingTalk group robot refused the message: check its token, signing secret, keywords and IP "
        "allow-list."
    )

    def __init__(
        self,
        code: str | int,
        message: str = "",
        *,
        api: str = "/robot/send",
        http_status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(code, message, api=api, http_status=http_status, request_id=request_id)


class RobotThrottled(RobotError):
    explanation = _(
        "The DingTalk group robot received more than 20 messages in a minute and is paused for 10 minutes."
    )


ROBOT_THROTTLE_CODES = frozenset({"410100", "660026"})
