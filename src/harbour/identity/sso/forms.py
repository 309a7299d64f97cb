"""Console forms of single sign-on: the kinds of provider an administrator picks from, and the one form
that shows just the inputs of the chosen kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harbour.directory.forms import ActionForm
from harbour.identity.models import SsoPreset, SsoProtocol


@dataclass(frozen=True)
class Kind:
    key: str
    protocol: str
    preset: str
    label: Promise
    description: Promise
    inputs: tuple[str, ...]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "entra-oidc",
            SsoProtocol.OIDC,
            SsoPreset.ENTRA_ID,
            _("Microsoft Entra ID (OpenID Connect)"),
            _("Register an app in Entra ID, add a client secret, and copy the directory (tenant) id."),
            ("directory_id", "client_id", "client_secret", "issuer"),
        ),
        Kind(
            "google-oidc",
            SsoProtocol.OIDC,
            SsoPreset.GOOGLE,
            _("Google Workspace (OpenID Connect)"),
            _("Create an OAuth client (web application) in the Google Cloud console of your Workspace."),
            ("domain", "client_id", "client_secret", "issuer"),
        ),
        Kind(
            "generic-oidc",
            SsoProtocol.OIDC,
            SsoPreset.GENERIC,
            _("Another OpenID Connect provider"),
            _("Any provider that publishes an OpenID Connect discovery document (Okta, Keycloak, …)."),
            ("issuer", "client_id", "client_secret"),
        ),
        Kind(
            "entra-saml",
            SsoProtocol.SAML,
            SsoPreset.ENTRA_ID,
            _("Microsoft Entra ID (SAML 2.0)"),
            _("An Entra ID enterprise application with SAML single sign-on."),
            ("directory_id", "metadata_url", "entity_id"),
        ),
        Kind(
            "generic-saml",
            SsoProtocol.SAML,
            SsoPreset.GENERIC,
            _("Another SAML 2.0 identity provider"),
            _("Give the IdP's metadata URL, or its entity id, single sign-on URL and signing certificate."),
            ("metadata_url", "entity_id", "sso_url", "certificate"),
        ),
    )
}


def kind_of(protocol: str, preset: str) -> Kind | None:
    return next((k for k in KINDS.values() if k.protocol == protocol and k.preset == preset), None)


class ConnectionForm(ActionForm):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("Shown to people choosing how to sign in.")
    )
    directory_id = forms.CharField(
        label=_("Directory (tenant) id"),
        max_length=64,
        help_text=_("Entra ID › Overview › Tenant ID, a GUID."),
    )
    domain = forms.CharField(
        label=_("Workspace domain"),
        max_length=253,
        help_text=_("The primary domain, such as example.com.hk."),
    )
    issuer = forms.CharField(
        label=_("Issuer URL"),
        max_length=1000,
        help_text=_(
            "The provider's issuer; Harbour reads /.well-known/openid-configuration under it. For Entra "
            "ID and Google leave it empty unless you use another cloud (such as Microsoft's China cloud)."
        ),
    )
    client_id = forms.CharField(label=_("Client id"), max_length=190)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=190,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored for sign-ins only; never shown again or written to the log."),
    )
    metadata_url = forms.CharField(
        label=_("IdP metadata URL"),
        max_length=1000,
        help_text=_("Entra ID: App Federation Metadata Url on the application's single sign-on page."),
    )
    entity_id = forms.CharField(label=_("IdP entity id"), max_length=500)
    sso_url = forms.CharField(label=_("IdP single sign-on URL"), max_length=1000)
    certificate = forms.CharField(
        label=_("IdP signing certificate"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("PEM (-----BEGIN CERTIFICATE-----) or base64."),
    )
    just_in_time = forms.BooleanField(
        label=_("Create work accounts at first sign-in"),
        required=False,
        help_text=_(
            "Off: only people who already have a work account can sign in. On: a person of your verified "
            "domains whom the provider vouches for gets an active account (and takes a seat)."
        ),
    )

    def __init__(self, *args: Any, kind: Kind, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in ("directory_id", "domain", "issuer", "client_id", "client_secret"):
            if name not in kind.inputs:
                del self.fields[name]
        for name in ("metadata_url", "entity_id", "sso_url", "certificate"):
            if name not in kind.inputs:
                del self.fields[name]
        optional = {"issuer"} if kind.preset != SsoPreset.GENERIC else set()
        if kind.protocol == SsoProtocol.SAML:
            optional |= (
                {"entity_id", "sso_url", "certificate"} if kind.preset == SsoPreset.GENERIC else {"entity_id"}
            )
            if kind.preset == SsoPreset.GENERIC:
                optional.add("metadata_url")
        if editing:
            optional.add("client_secret")
            if "client_secret" in self.fields:
                self.fields["client_secret"].help_text = _("Leave empty to keep the stored secret.")
        for name in optional:
            if name in self.fields:
                self.fields[name].required = False

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.kind.inputs if name in self.fields}


class StartForm(forms.Form):
    email = forms.CharField(
        label=_("Work email or company short name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
