"""Requests, routes and the route table: which family (``oapi`` or ``api``) a path belongs to, the scope it
needs, and whether it counts against the monthly quota."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

OAPI = "oapi"
API = "api"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: Any
    raw_body: bytes
    client_ip: str
    path_params: dict[str, str] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return API if self.path.startswith(("/v1.0/", "/v2.0/")) else OAPI

    def params(self) -> dict[str, Any]:
        """Legacy parameters: the JSON body, falling back to the query string (minus the token)."""
        merged: dict[str, Any] = {k: v for k, v in self.query.items() if k != "access_token"}
        if isinstance(self.body, dict):
            merged.update(self.body)
        return merged

    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


Handler = Callable[[Request], Any]


@dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    pattern: str
    handler: Handler
    scope: str | None = None
    contacts: bool = True  # tokens and the contacts set are exempt from the monthly quota (§11)
    authenticated: bool = True
    throttled: bool = True  # counted in the per-app per-API QPS window

    @property
    def family(self) -> str:
        return API if self.pattern.startswith(("/v1.0/", "/v2.0/")) else OAPI


def route(methods: str, pattern: str, handler: Handler, **options: Any) -> Route:
    return Route(tuple(methods.split("|")), pattern, handler, **options)


class Router:
    def __init__(self) -> None:
        self._exact: dict[str, list[Route]] = {}
        self._templated: list[tuple[re.Pattern[str], Route]] = []

    def add(self, *routes: Route) -> None:
        for item in routes:
            if "{" in item.pattern:
                regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", item.pattern)
                self._templated.append((re.compile(f"^{regex}$"), item))
            else:
                self._exact.setdefault(item.pattern, []).append(item)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for item in self._exact.get(path, []):
            if method in item.methods:
                return item, {}
        for regex, item in self._templated:
            found = regex.match(path)
            if found and method in item.methods:
                return item, found.groupdict()
        return None
