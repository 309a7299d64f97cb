"""A SAML 2.0 identity provider for tests: pysaml2 behind a small WSGI app, served from a thread.

``SamlIdp`` generates an RSA key and a self-signed certificate at start (pysaml2 signs with the
``xmlsec1`` binary, so it must be installed) and serves on 127.0.0.1:

- ``GET /metadata``: the IdP's metadata (its entity id is this URL), with the signing certificate, the
  single sign-on endpoints and the NameID formats it issues.
- ``/sso`` takes an AuthnRequest (and RelayState) from a trusted SP, by GET (HTTP-Redirect binding) or
  POST (HTTP-POST binding), and shows a sign-in form.
- ``POST /sso/login`` checks the email and password and answers with an auto-submitting HTML form that
  POSTs ``SAMLResponse`` (the response and its assertion both signed, RSA-SHA256) and ``RelayState`` to the
  SP's ACS URL. The IdP keeps no session: every AuthnRequest asks for the password.

Requests from an SP that was not trusted (``trust_sp(entity_id, acs_url)``), or naming an ACS URL that was
not registered for it, are refused (403); signatures on AuthnRequests are not required.

The assertion's subject is a NameID in the format the request asks for, if the IdP issues it
(emailAddress: the email; persistent: an opaque id per user and SP, the same while the IdP runs;
transient: a fresh random id);
``unspecified`` or none gives emailAddress. Attributes, in the URI name format (the names allauth's SAML
provider maps by default): ``urn:oid:0.9.2342.19200300.100.1.3`` (mail), ``urn:oid:2.5.4.42`` (givenName),
``urn:oid:2.5.4.4`` (sn), ``urn:oid:2.16.840.1.113730.3.1.241`` (displayName), plus a user's own extra
attributes (any names, sent as given, e.g. ``urn:oasis:names:tc:SAML:attribute:subject-id``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import secrets
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

with warnings.catch_warnings():
    # pysaml2 names the CFB cipher mode where cryptography deprecates it; nothing here uses it.
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.metadata import create_metadata_string
    from saml2.saml import (
        AUTHN_PASSWORD_PROTECTED,
        NAME_FORMAT_URI,
        NAMEID_FORMAT_EMAILADDRESS,
        NAMEID_FORMAT_PERSISTENT,
        NAMEID_FORMAT_TRANSIENT,
        NAMEID_FORMAT_UNSPECIFIED,
        NameID,
    )
    from saml2.server import Server
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

StartResponse = Callable[..., Any]

EMAIL_VERIFIED_ATTRIBUTE = "http://schemas.auth0.com/email_verified"
ISSUED_NAMEID_FORMATS = (NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT)


@dataclass
class SamlUser:
    email: str
    password: str
    given_name: str = ""
    surname: str = ""
    display_name: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TrustedSp:
    entity_id: str
    acs_urls: tuple[str, ...]


class SamlIdpError(Exception):
    """A request the IdP refuses (answered with 403 and the message)."""


def _self_signed_certificate(common_name: str) -> tuple[str, str]:
    """A new RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def _sp_metadata(sp: TrustedSp) -> str:
    services = "".join(
        f'<md:AssertionConsumerService Binding="{BINDING_HTTP_POST}"'
        f' Location={quoteattr(url)} index="{index}"/>'
        for index, url in enumerate(sp.acs_urls)
    )
    return (
        '<?xml version="1.0"?>'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"'
        f" entityID={quoteattr(sp.entity_id)}>"
        '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"'
        ' AuthnRequestsSigned="false" WantAssertionsSigned="true">'
        f"{services}</md:SPSSODescriptor></md:EntityDescriptor>"
    )


_LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in – test SAML identity provider</title></head>
<body>
<h1>Sign in</h1>
<p>to {sp}</p>
{error}
<form method="post" action="/sso/login">
<input type="hidden" name="SAMLRequest" value="{request}">
<input type="hidden" name="RelayState" value="{relay_state}">
<input type="hidden" name="binding" value="{binding}">
<label>Email <input type="email" name="email" value="{email}" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
"""

_POST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing you in…</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{action}">
<input type="hidden" name="SAMLResponse" value="{response}">
<input type="hidden" name="RelayState" value="{relay_state}">
<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>
"""


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class SamlIdp:
    """The IdP; ``start()`` (or ``with``) serves it from a thread, ``stop()`` ends it."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._users: dict[str, SamlUser] = {}
        self._sps: dict[str, TrustedSp] = {}
        self._persistent_secret = secrets.token_bytes(16)
        self._httpd: _ThreadedServer | None = None
        self._thread: threading.Thread | None = None
        self._workdir: Path | None = None
        self._server: Server | None = None
        self._metadata_xml = ""
        self.base_url = ""
        self.certificate_pem = ""

    # Addresses --------------------------------------------------------------------------------------

    @property
    def entity_id(self) -> str:
        return self.metadata_url

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def sso_url(self) -> str:
        """The single sign-on endpoint, of both the HTTP-Redirect (GET) and the HTTP-POST binding."""
        return f"{self.base_url}/sso"

    @property
    def certificate_base64(self) -> str:
        """The certificate's DER in base64 without PEM armour, as it stands in metadata."""
        return "".join(line for line in self.certificate_pem.splitlines() if "-----" not in line)

    # Life -------------------------------------------------------------------------------------------

    def start(self) -> SamlIdp:
        if shutil.which("xmlsec1") is None:
            raise RuntimeError("the SAML IdP signs with the xmlsec1 program: apt-get install xmlsec1")
        self._httpd = make_server(
            self._host, self._port, self, server_class=_ThreadedServer, handler_class=_QuietHandler
        )
        try:
            self.base_url = f"http://{self._host}:{self._httpd.server_port}"
            self._workdir = Path(tempfile.mkdtemp(prefix="saml-idp-"))
            key_pem, self.certificate_pem = _self_signed_certificate(f"{self._host} test SAML IdP")
            (self._workdir / "key.pem").write_text(key_pem)
            (self._workdir / "cert.pem").write_text(self.certificate_pem)
            config = IdPConfig()
            config.load(self._config())
            self._server = Server(config=config)
            self._metadata_xml = create_metadata_string(None, config=config).decode()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="saml-idp", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> SamlIdp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _config(self) -> dict[str, Any]:
        assert self._workdir is not None
        return {
            "entityid": self.entity_id,
            "service": {
                "idp": {
                    "name": "Harbour test IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (self.sso_url, BINDING_HTTP_REDIRECT),
                            (self.sso_url, BINDING_HTTP_POST),
                        ]
                    },
                    "name_id_format": list(ISSUED_NAMEID_FORMATS),
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": str(self._workdir / "key.pem"),
            "cert_file": str(self._workdir / "cert.pem"),
            "xmlsec_binary": shutil.which("xmlsec1"),
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "metadata": {"inline": [_sp_metadata(sp) for sp in self._sps.values()]},
            "accepted_time_diff": 60,
        }

    # Users and service providers --------------------------------------------------------------------

    def add_user(
        self,
        email: str,
        password: str,
        name: str = "",
        email_verified: bool | None = None,
        *,
        given_name: str | None = None,
        surname: str | None = None,
        attributes: dict[str, list[str]] | None = None,
    ) -> SamlUser:
        """Add a user, or replace the one with that email.

        ``name`` gives given name and surname (split at the last space) unless they are given.
        ``email_verified`` (if not None) is sent as ``http://schemas.auth0.com/email_verified``
        ("true"/"false"), the attribute allauth maps to ``email_verified`` by default. ``attributes``: more
        attributes, by their full names.
        """
        first, _space, last = name.strip().rpartition(" ")
        if not first:
            first, last = last, ""
        attributes = dict(attributes or {})
        if email_verified is not None:
            attributes[EMAIL_VERIFIED_ATTRIBUTE] = ["true" if email_verified else "false"]
        user = SamlUser(
            email=email,
            password=password,
            given_name=first if given_name is None else given_name,
            surname=last if surname is None else surname,
            display_name=name,
            attributes=attributes,
        )
        with self._lock:
            self._users[email.lower()] = user
        return user

    def add_users(self, entries: Iterable[dict[str, Any]]) -> None:
        """Add users given like the OIDC provider's users.json: {email, password, name, email_verified}."""
        for entry in entries:
            self.add_user(
                entry["email"],
                entry["password"],
                entry.get("name", ""),
                entry.get("email_verified"),
                attributes=entry.get("attributes"),
            )

    def trust_sp(self, entity_id: str, acs_url: str) -> None:
        """Trust an SP (HTTP-POST to ``acs_url``); an SP trusted before gets one more ACS URL."""
        with self._lock:
            known = self._sps.get(entity_id)
            urls = known.acs_urls if known else ()
            if acs_url not in urls:
                urls = (*urls, acs_url)
            self._sps[entity_id] = TrustedSp(entity_id, urls)
            if self._server is not None:
                self._server.metadata.reload({"inline": [_sp_metadata(sp) for sp in self._sps.values()]})

    def persistent_id(self, email: str, sp_entity_id: str) -> str:
        """The persistent NameID this IdP gives the user at this SP (the same for as long as the IdP runs)."""
        digest = hashlib.sha256(self._persistent_secret + f"{email.lower()}|{sp_entity_id}".encode())
        return digest.hexdigest()[:32]

    # The WSGI application ---------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        params = self._params(environ)
        try:
            with self._lock:
                if path == "/metadata" and method == "GET":
                    return self._answer(
                        start_response, "200 OK", self._metadata_xml, "application/samlmetadata+xml"
                    )
                if path == "/sso" and method == "GET":
                    return self._login_form(start_response, params, "redirect")
                if path == "/sso" and method == "POST":
                    return self._login_form(start_response, params, "post")
                if path == "/sso/login" and method == "POST":
                    return self._sign_in(start_response, params)
        except SamlIdpError as error:
            return self._answer(start_response, "403 Forbidden", f"Refused: {error}", "text/plain")
        return self._answer(start_response, "404 Not Found", "Not found", "text/plain")

    @staticmethod
    def _params(environ: dict[str, Any]) -> dict[str, str]:
        query = environ.get("QUERY_STRING", "")
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            query = environ["wsgi.input"].read(length).decode()
        return {key: values[0] for key, values in parse_qs(query, keep_blank_values=True).items()}

    @staticmethod
    def _answer(start_response: StartResponse, status: str, body: str, content_type: str) -> list[bytes]:
        data = body.encode()
        start_response(
            status,
            [
                ("Content-Type", f"{content_type}; charset=utf-8"),
                ("Content-Length", str(len(data))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [data]

    def _authn_request(self, params: dict[str, str], binding: str) -> tuple[Any, str, str]:
        """The AuthnRequest, the SP's entity id and the ACS URL to answer to; refuses what it cannot trust."""
        assert self._server is not None
        encoded = params.get("SAMLRequest")
        if not encoded:
            raise SamlIdpError("no SAMLRequest")
        saml_binding = BINDING_HTTP_REDIRECT if binding == "redirect" else BINDING_HTTP_POST
        try:
            request = self._server.parse_authn_request(encoded, saml_binding).message
        except Exception as error:
            raise SamlIdpError(f"unreadable AuthnRequest: {error}") from error
        sp_entity_id = request.issuer.text.strip() if request.issuer is not None else ""
        sp = self._sps.get(sp_entity_id)
        if sp is None:
            raise SamlIdpError(f"unknown service provider {sp_entity_id!r}")
        acs_url = request.assertion_consumer_service_url or sp.acs_urls[0]
        if acs_url not in sp.acs_urls:
            raise SamlIdpError(f"ACS URL {acs_url!r} is not registered for {sp_entity_id!r}")
        return request, sp_entity_id, acs_url

    def _login_form(
        self,
        start_response: StartResponse,
        params: dict[str, str],
        binding: str,
        email: str = "",
        error: str = "",
    ) -> list[bytes]:
        _request, sp_entity_id, _acs_url = self._authn_request(params, binding)
        page = _LOGIN_PAGE.format(
            sp=html.escape(sp_entity_id),
            error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "",
            request=html.escape(params["SAMLRequest"]),
            relay_state=html.escape(params.get("RelayState", "")),
            binding=binding,
            email=html.escape(email),
        )
        return self._answer(start_response, "200 OK", page, "text/html")

    def _sign_in(self, start_response: StartResponse, params: dict[str, str]) -> list[bytes]:
        binding = params.get("binding", "redirect")
        request, sp_entity_id, acs_url = self._authn_request(params, binding)
        email = params.get("email", "").strip()
        user = self._users.get(email.lower())
        if user is None or not secrets.compare_digest(
            user.password.encode(), params.get("password", "").encode()
        ):
            return self._login_form(start_response, params, binding, email, "Wrong email or password.")
        saml_response = self._response(request, sp_entity_id, acs_url, user)
        page = _POST_PAGE.format(
            action=html.escape(acs_url),
            response=base64.b64encode(saml_response.encode()).decode(),
            relay_state=html.escape(params.get("RelayState", "")),
        )
        return self._answer(start_response, "200 OK", page, "text/html")

    def _name_id(self, request: Any, sp_entity_id: str, user: SamlUser) -> NameID:
        policy = request.name_id_policy
        wanted = policy.format if policy is not None and policy.format else NAMEID_FORMAT_UNSPECIFIED
        if wanted not in ISSUED_NAMEID_FORMATS:
            wanted = NAMEID_FORMAT_EMAILADDRESS
        if wanted == NAMEID_FORMAT_PERSISTENT:
            value = self.persistent_id(user.email, sp_entity_id)
        elif wanted == NAMEID_FORMAT_TRANSIENT:
            value = "_" + secrets.token_hex(16)
        else:
            value = user.email
        qualifiers = {} if wanted == NAMEID_FORMAT_EMAILADDRESS else {"name_qualifier": self.entity_id}
        return NameID(format=wanted, sp_name_qualifier=sp_entity_id, text=value, **qualifiers)

    def _response(self, request: Any, sp_entity_id: str, acs_url: str, user: SamlUser) -> str:
        assert self._server is not None
        identity: dict[str, list[str]] = {"mail": [user.email]}
        if user.given_name:
            identity["givenName"] = [user.given_name]
        if user.surname:
            identity["sn"] = [user.surname]
        if user.display_name:
            identity["displayName"] = [user.display_name]
        identity.update(user.attributes)
        response = self._server.create_authn_response(
            identity,
            in_response_to=request.id,
            destination=acs_url,
            sp_entity_id=sp_entity_id,
            name_id=self._name_id(request, sp_entity_id, user),
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": self.entity_id},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return str(response)
