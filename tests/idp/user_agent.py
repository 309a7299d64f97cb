"""The user at the identity provider: follow the SP's redirect, sign in, come back with what goes to the SP.

``sign_in_at_idp(client, start_url, email, password)`` drives an httpx ``Client`` (or a ``requests``
``Session``) through the IdP: it follows redirects while they stay at the IdP's origin, fills in and submits
the sign-in form, and stops at the first step addressed elsewhere: a redirect (OpenID Connect: the
``redirect_uri`` with ``code`` and ``state``) or an auto-submitting form (SAML: ``SAMLResponse`` and
``RelayState`` for the ACS). That step comes back as an ``IdpReturn``, which ``send(django_client)`` hands
to Django's test ``Client``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx


class IdpError(Exception):
    """The IdP answered with something other than a sign-in form, a redirect or a form for the SP."""

    def __init__(self, message: str, status_code: int = 0, body: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class IdpLoginRefused(IdpError):
    """The IdP showed its sign-in form again after the credentials were submitted."""


@dataclass(frozen=True)
class IdpReturn:
    """The request the browser makes to the SP when the IdP is done."""

    method: str  # "GET" (a redirect) or "POST" (an auto-submitting form)
    url: str  # absolute; for GET with its query
    data: dict[str, str] = field(default_factory=dict)  # the form's fields, for POST

    @property
    def path(self) -> str:
        """Path and query, as Django's test Client takes them."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    def send(self, client: Any, **extra: Any) -> Any:
        """Make the request with a Django test ``Client`` (its Host and scheme taken from ``url``)."""
        options: dict[str, Any] = {"HTTP_HOST": self.host, "secure": urlsplit(self.url).scheme == "https"}
        options.update(extra)
        if self.method == "POST":
            return client.post(self.path, self.data, **options)
        return client.get(self.path, **options)


@dataclass
class _Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)

    def fields(self) -> dict[str, str]:
        return {
            i["name"]: i.get("value", "") for i in self.inputs if i.get("name") and i.get("type") != "submit"
        }

    def has_password(self) -> bool:
        return any(i.get("type") == "password" for i in self.inputs)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._current: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._current = _Form(attributes.get("action", ""), attributes.get("method", "get").upper())
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            attributes.setdefault("type", "text")
            attributes["type"] = attributes["type"].lower()
            self._current.inputs.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _forms(page: str) -> list[_Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _page_error(page: str) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]*)<', page)
    return found.group(1).strip() if found else ""


def _request(client: Any, method: str, url: str, data: dict[str, str] | None) -> Any:
    if method == "GET" and data is not None:
        url, data = f"{url.split('?', 1)[0]}?{urlencode(data)}", None
    if isinstance(client, httpx.Client):
        return client.request(method, url, data=data, follow_redirects=False)
    return client.request(method, url, data=data, allow_redirects=False)  # requests.Session


def _fill_in(form: _Form, email: str, password: str) -> dict[str, str]:
    data = form.fields()
    for field_ in form.inputs:
        name, kind = field_.get("name"), field_.get("type")
        if not name:
            continue
        if kind == "password":
            data[name] = password
        elif kind in ("email", "text") or name in ("email", "username", "login"):
            data[name] = email
    return data


def sign_in_at_idp(
    client: Any,
    start_url: str,
    email: str,
    password: str,
    *,
    start_form: dict[str, str] | None = None,
    max_steps: int = 12,
) -> IdpReturn:
    """Be the user at the IdP that ``start_url`` (the SP's redirect target) belongs to; see the module doc.

    ``start_form``: POST these fields to ``start_url`` instead of GETting it (an SP's auto-submitting form,
    e.g. a SAML AuthnRequest in the HTTP-POST binding).

    Raises ``IdpLoginRefused`` if the IdP does not take the credentials, ``IdpError`` on any other answer
    (e.g. 400 for an unregistered redirect URI, 403 for an untrusted SP).
    """
    idp = _origin(start_url)
    method, url, data = (
        ("POST", start_url, start_form) if start_form is not None else ("GET", start_url, None)
    )
    submitted = False
    for _step in range(max_steps):
        response = _request(client, method, url, data)
        status = response.status_code
        if 300 <= status < 400:
            location = urljoin(url, response.headers["location"])
            if _origin(location) != idp:
                return IdpReturn("GET", location)
            method, url, data = "GET", location, None
            continue
        page = response.text
        if status != 200:
            raise IdpError(f"{method} {url} answered {status}", status, page)
        forms = _forms(page)
        sign_in = next((form for form in forms if form.has_password()), None)
        if sign_in is not None:
            if submitted:
                raise IdpLoginRefused(
                    _page_error(page) or "the IdP asked for the password again", status, page
                )
            method, url = sign_in.method, urljoin(url, sign_in.action)
            data = _fill_in(sign_in, email, password)
            submitted = True
            continue
        onward = next((form for form in forms if _origin(urljoin(url, form.action)) != idp), None)
        if onward is not None:
            return IdpReturn(onward.method, urljoin(url, onward.action), onward.fields())
        raise IdpError(f"{method} {url}: neither a sign-in form nor a way back to the SP", status, page)
    raise IdpError(f"still at the IdP after {max_steps} steps")
