"""DingTalk's server API for Harbour: the directory client, its errors and the group robot sender."""

from .directory import DingTalkClient
from .errors import (
    AlreadyExists,
    CredentialsInvalid,
    DingTalkError,
    NoPermission,
    NotFoundInDingTalk,
    OutOfScope,
    QuotaExceeded,
    Refused,
    RobotError,
    RobotThrottled,
    ServerError,
    Throttled,
    TokenInvalid,
    UnknownMethod,
)
from .robot import RobotSender, sign
from .transport import ClientStats

__all__ = [
    "AlreadyExists",
    "ClientStats",
    "CredentialsInvalid",
    "DingTalkClient",
    "DingTalkError",
    "NoPermission",
    "NotFoundInDingTalk",
    "OutOfScope",
    "QuotaExceeded",
    "Refused",
    "RobotError",
    "RobotSender",
    "RobotThrottled",
    "ServerError",
    "Throttled",
    "TokenInvalid",
    "UnknownMethod",
    "sign",
]
