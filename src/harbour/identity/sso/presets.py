"""What an administrator types for each kind of identity provider, checked and turned into the settings of
allauth's provider (the ``SocialApp`` row) and a summary without secrets (kept on the connection, shown and
audited).

- Microsoft Entra ID, OpenID Connect: directory (tenant) id, client id, client secret; the issuer is
  ``https://login.microsoftonline.com/{tenant}/v2.0`` and the ID token's ``tid`` must be that directory.
- Google Workspace: the domain, client id, client secret; issuer ``https://accounts.google.com``, the ``hd``
  hint on the way there and the ``hd`` claim checked on the way back (the hint alone proves nothing).
- Any other OpenID Connect provider: its issuer URL.
- SAML 2.0: the IdP's metadata URL, or its entity id, single sign-on URL and signing certificate; for Entra
  ID the directory id and the application's federation metadata URL.

An issuer may be given for the Entra ID and Google presets too (another cloud, such as Microsoft's China
cloud ``https://login.partner.microsoftonline.cn/{tenant}/v2.0``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid
from harbour.identity.models import SsoPreset, SsoProtocol

OIDC_PROVIDER = "openid_connect"
SAML_PROVIDER = "saml"

ENTRA_AUTHORITY = "https://login.microsoftonline.com"
GOOGLE_ISSUER = "https://accounts.google.com"

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PEM_BODY = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)

# SAML attribute names (the URI names of the test IdP and most IdPs, plus Entra ID's claim URIs).
SAML_ATTRIBUTES: dict[str, list[str]] = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
    ],
    "name": [
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
        "displayName",
    ],
}
# Entra ID's object id is the stable subject (the NameID may be the changeable UPN).
ENTRA_SAML_UID = "http://schemas.microsoft.com/identity/claims/objectidentifier"


@dataclass
class ProviderSetup:
    """Everything the connection's ``SocialApp`` holds, and what may be shown of it."""

    provider: str
    client_id: str
    secret: str | None  # None: keep the stored one
    settings: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)


def _text(values: dict[str, Any], name: str, *, required: bool = True, max_length: int = 500) -> str:
    value = values.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise Invalid(_("%(field)s is required for this kind of provider") % {"field": name}, field=name)
    if len(value) > max_length:
        raise Invalid(
            _("%(field)s is longer than %(n)d characters") % {"field": name, "n": max_length}, field=name
        )
    return value


def _url(values: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = _text(values, name, required=required, max_length=1000)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise Invalid(_("%(field)s must be an https:// address") % {"field": name}, field=name)
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise Invalid(
            _("%(field)s must be an https:// address (plain http only for this machine)") % {"field": name},
            field=name,
        )
    return value.rstrip("/") if name == "issuer" else value


def _directory_id(values: dict[str, Any]) -> str:
    value = _text(values, "directory_id")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Invalid(
            _("the directory (tenant) id is a GUID such as 3f2b8c1e-7d4a-4e8b-9c6f-5a1d2e3b4c5d"),
            field="directory_id",
        ) from None


def _domain(values: dict[str, Any]) -> str:
    value = _text(values, "domain").lower()
    if not _DOMAIN.match(value):
        raise Invalid(_("%(value)s is not a domain name") % {"value": value}, field="domain")
    return value


def certificate_body(text: str) -> str:
    """The base64 body of a PEM (or bare base64) X.509 certificate, checked to parse."""
    from cryptography import x509

    found = _PEM_BODY.search(text)
    body = re.sub(r"\s+", "", found.group(1) if found else text)
    try:
        x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError):
        raise Invalid(
            _("the certificate is not a PEM or base64 X.509 certificate"), field="certificate"
        ) from None
    return body


def fingerprint(body: str) -> str:
    digest = hashlib.sha256(base64.b64decode(body)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _oidc(preset: str, values: dict[str, Any], *, creating: bool) -> ProviderSetup:
    client_id = _text(values, "client_id", max_length=190)
    secret = _text(values, "client_secret", required=creating, max_length=190) or None
    summary: dict[str, Any] = {"client_id": client_id}
    settings: dict[str, Any] = {"oauth_pkce_enabled": True, "fetch_userinfo": True}
    issuer = _url(values, "issuer", required=preset == SsoPreset.GENERIC)
    if preset == SsoPreset.ENTRA_ID:
        directory = _directory_id(values)
        summary["directory_id"] = directory
        settings["expect_claims"] = {"tid": directory}
        issuer = issuer or f"{ENTRA_AUTHORITY}/{directory}/v2.0"
    elif preset == SsoPreset.GOOGLE:
        domain = _domain(values)
        summary["domain"] = domain
        settings["auth_params"] = {"hd": domain}
        settings["expect_claims"] = {"hd": domain}
        issuer = issuer or GOOGLE_ISSUER
    summary["issuer"] = issuer
    settings["server_url"] = issuer
    return ProviderSetup(OIDC_PROVIDER, client_id, secret, settings, summary)


def _saml(preset: str, slug: str, values: dict[str, Any]) -> ProviderSetup:
    mapping = {key: list(names) for key, names in SAML_ATTRIBUTES.items()}
    summary: dict[str, Any] = {}
    idp: dict[str, Any]
    metadata_url = _url(values, "metadata_url", required=preset == SsoPreset.ENTRA_ID)
    if preset == SsoPreset.ENTRA_ID:
        directory = _directory_id(values)
        summary["directory_id"] = directory
        mapping["uid"] = [ENTRA_SAML_UID, *mapping["uid"]]
        entity_id = _text(values, "entity_id", required=False) or f"https://sts.windows.net/{directory}/"
    else:
        entity_id = _text(values, "entity_id", required=not metadata_url)
    if metadata_url:
        idp = {"metadata_url": metadata_url, "entity_id": entity_id or None}
        summary["metadata_url"] = metadata_url
    else:
        sso_url = _url(values, "sso_url")
        body = certificate_body(_text(values, "certificate", max_length=20000))
        idp = {"entity_id": entity_id, "sso_url": sso_url, "x509cert": body}
        summary.update({"sso_url": sso_url, "certificate_sha256": fingerprint(body)})
    if entity_id:
        summary["entity_id"] = entity_id
    settings = {
        "idp": idp,
        "attribute_mapping": mapping,
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "reject_deprecated_algorithm": True,
            "allow_single_label_domains": True,  # self-hosted on an intranet name such as http://harbour/
        },
    }
    return ProviderSetup(SAML_PROVIDER, slug, "", settings, summary)


def provider_setup(
    protocol: str, preset: str, slug: str, values: dict[str, Any], *, creating: bool
) -> ProviderSetup:
    """Check what the administrator typed for this protocol and preset (field errors name the input)."""
    if protocol not in SsoProtocol.values:
        raise Invalid(_("choose OpenID Connect or SAML 2.0"), field="protocol")
    if preset not in SsoPreset.values:
        raise Invalid(_("choose Microsoft Entra ID, Google Workspace or another provider"), field="preset")
    if protocol == SsoProtocol.OIDC:
        return _oidc(preset, values, creating=creating)
    if preset == SsoPreset.GOOGLE:
        raise Invalid(_("connect Google Workspace with OpenID Connect"), field="preset")
    return _saml(preset, slug, values)


# The inputs each kind of connection takes (the console shows these, the API accepts them).
INPUTS = (
    "directory_id",
    "domain",
    "issuer",
    "client_id",
    "client_secret",
    "metadata_url",
    "entity_id",
    "sso_url",
    "certificate",
)


def current_inputs(
    protocol: str, preset: str, summary: dict[str, Any], settings: dict[str, Any]
) -> dict[str, str]:
    """What the administrator typed last time (secrets aside), to edit from; an issuer the preset worked
    out is left out, so changing the directory or domain moves it along."""
    values = {name: str(summary[name]) for name in INPUTS if summary.get(name)}
    if protocol == SsoProtocol.OIDC and preset != SsoPreset.GENERIC:
        default = (
            f"{ENTRA_AUTHORITY}/{summary.get('directory_id')}/v2.0"
            if preset == SsoPreset.ENTRA_ID
            else GOOGLE_ISSUER
        )
        if values.get("issuer") == default:
            values.pop("issuer")
    if protocol == SsoProtocol.SAML:
        idp = settings.get("idp") or {}
        if idp.get("x509cert"):
            values["certificate"] = str(idp["x509cert"])
        if preset == SsoPreset.ENTRA_ID and values.get("entity_id") == (
            f"https://sts.windows.net/{summary.get('directory_id')}/"
        ):
            values.pop("entity_id")
    return values
