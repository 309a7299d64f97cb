"""The test identity providers themselves, driven as a relying party would drive them."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import pytest
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from tests.idp.fixtures import (
    TENANT_ID,
    IdpError,
    IdpLoginRefused,
    IdpReturn,
    OidcProvider,
    SamlIdp,
    sign_in_at_idp,
)

REDIRECT_URI = "http://sp.harbour.test/accounts/oidc/acme/login/callback/"
SP_ENTITY_ID = "http://sp.harbour.test/accounts/saml/acme/metadata/"
ACS_URL = "http://sp.harbour.test/accounts/saml/acme/acs/"


def _email(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}@acme.com.hk"


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10) as client:
        yield client


# OpenID Connect ---------------------------------------------------------------------------------------


def _discovery(provider: OidcProvider) -> dict[str, Any]:
    response = httpx.get(provider.server_url + "/.well-known/openid-configuration", trust_env=False)
    response.raise_for_status()
    return response.json()


def _authorize_url(provider: OidcProvider, state: str, nonce: str, **extra: str) -> str:
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        **extra,
    }
    return f"{_discovery(provider)['authorization_endpoint']}?{urlencode(query)}"


def test_discovery_document(oidc_provider: OidcProvider) -> None:
    config = _discovery(oidc_provider)
    assert config["issuer"] == oidc_provider.issuer == oidc_provider.server_url
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert config[endpoint].startswith(oidc_provider.issuer + "/")
    assert "RS256" in config["id_token_signing_alg_values_supported"]
    assert {"client_secret_post", "client_secret_basic"} <= set(
        config["token_endpoint_auth_methods_supported"]
    )
    assert {"openid", "email", "profile"} <= set(config["scopes_supported"])
    assert "code" in config["response_types_supported"]


@pytest.mark.parametrize("auth_method", ["client_secret_post", "client_secret_basic"])
def test_authorization_code_flow(
    oidc_provider: OidcProvider, browser: httpx.Client, auth_method: str
) -> None:
    email = _email("alice")
    sub = oidc_provider.add_user(email, "correct horse", "Alice Chan")
    oidc_provider.allow_redirect(REDIRECT_URI)
    config = _discovery(oidc_provider)
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    pkce = (
        {"code_challenge": challenge, "code_challenge_method": "S256"}
        if auth_method.endswith("basic")
        else {}
    )

    back = sign_in_at_idp(
        browser, _authorize_url(oidc_provider, state, nonce, **pkce), email, "correct horse"
    )

    assert back.method == "GET"
    assert back.url.startswith(REDIRECT_URI + "?")
    assert back.query["state"] == state
    form = {"grant_type": "authorization_code", "code": back.query["code"], "redirect_uri": REDIRECT_URI}
    if pkce:
        form["code_verifier"] = verifier
    auth: tuple[str, str] | None = None
    if auth_method == "client_secret_post":
        form |= {"client_id": oidc_provider.client_id, "client_secret": oidc_provider.client_secret}
    else:
        auth = (oidc_provider.client_id, oidc_provider.client_secret)
    token = httpx.post(config["token_endpoint"], data=form, auth=auth, trust_env=False)
    assert token.status_code == 200, token.text
    tokens = token.json()
    assert tokens["token_type"] == "Bearer"

    jwks = jwt.PyJWKSet.from_dict(httpx.get(config["jwks_uri"], trust_env=False).json())
    kid = jwt.get_unverified_header(tokens["id_token"])["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    claims = jwt.decode(
        tokens["id_token"],
        key,
        algorithms=["RS256"],
        audience=oidc_provider.client_id,
        issuer=config["issuer"],
    )
    assert claims["nonce"] == nonce
    expected = {
        "sub": sub,
        "email": email,
        "email_verified": True,
        "name": "Alice Chan",
        "given_name": "Alice",
        "family_name": "Chan",
        "tid": TENANT_ID,
    }
    assert {name: claims.get(name) for name in expected} == expected

    userinfo = httpx.get(
        config["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        trust_env=False,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert {name: userinfo.json().get(name) for name in expected} == expected

    # A code is good once.
    again = httpx.post(config["token_endpoint"], data=form, auth=auth, trust_env=False)
    assert again.status_code == 400


def test_user_update_and_unverified_email(oidc_provider: OidcProvider, browser: httpx.Client) -> None:
    email = _email("bob")
    sub = oidc_provider.add_user(email, "first", "Bob")
    assert (
        oidc_provider.add_user(email, "second", "Bob Lee", email_verified=False, claims={"roles": ["x"]})
        == sub
    )
    oidc_provider.allow_redirect(REDIRECT_URI)
    with pytest.raises(IdpLoginRefused):
        sign_in_at_idp(browser, _authorize_url(oidc_provider, "s", "n"), email, "first")
    back = sign_in_at_idp(browser, _authorize_url(oidc_provider, "s", "n"), email, "second")
    config = _discovery(oidc_provider)
    tokens = httpx.post(
        config["token_endpoint"],
        data={"grant_type": "authorization_code", "code": back.query["code"], "redirect_uri": REDIRECT_URI},
        auth=(oidc_provider.client_id, oidc_provider.client_secret),
        trust_env=False,
    ).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["email_verified"], claims["name"], claims["roles"]) == (
        sub,
        False,
        "Bob Lee",
        ["x"],
    )


def test_wrong_password_is_refused(oidc_provider: OidcProvider, browser: httpx.Client) -> None:
    email = _email("carol")
    oidc_provider.add_user(email, "right", "Carol")
    oidc_provider.allow_redirect(REDIRECT_URI)
    with pytest.raises(IdpLoginRefused, match="Wrong email or password"):
        sign_in_at_idp(browser, _authorize_url(oidc_provider, "s", "n"), email, "wrong")


def test_unknown_redirect_uri_is_refused(oidc_provider: OidcProvider, browser: httpx.Client) -> None:
    email = _email("dave")
    oidc_provider.add_user(email, "pw", "Dave")
    url = _authorize_url(oidc_provider, "s", "n").replace("sp.harbour.test", "evil.example.test")
    with pytest.raises(IdpError) as refused:
        sign_in_at_idp(browser, url, email, "pw")
    assert refused.value.status_code == 400
    assert "Mismatching redirect URI" in refused.value.body


def test_wrong_client_secret_is_refused(oidc_provider: OidcProvider, browser: httpx.Client) -> None:
    email = _email("erin")
    oidc_provider.add_user(email, "pw", "Erin")
    oidc_provider.allow_redirect(REDIRECT_URI)
    back = sign_in_at_idp(browser, _authorize_url(oidc_provider, "s", "n"), email, "pw")
    response = httpx.post(
        _discovery(oidc_provider)["token_endpoint"],
        data={"grant_type": "authorization_code", "code": back.query["code"], "redirect_uri": REDIRECT_URI},
        auth=(oidc_provider.client_id, "not-the-secret"),
        trust_env=False,
    )
    assert response.status_code == 401


# SAML ------------------------------------------------------------------------------------------------


def _sp_settings(idp: SamlIdp, name_id_format: str | None = None) -> dict[str, Any]:
    """python3-saml settings of an SP, strict, like allauth builds them but wanting everything signed."""
    sp: dict[str, Any] = {
        "entityId": SP_ENTITY_ID,
        "assertionConsumerService": {"url": ACS_URL, "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST},
    }
    if name_id_format:
        sp["NameIDFormat"] = name_id_format
    return {
        "strict": True,
        "sp": sp,
        "idp": {
            "entityId": idp.entity_id,
            "singleSignOnService": {"url": idp.sso_url},
            "x509cert": idp.certificate_pem,
        },
        "security": {
            "wantAssertionsSigned": True,
            "wantMessagesSigned": True,
            "wantAttributeStatement": True,
            "rejectDeprecatedAlgorithm": True,
        },
    }


def _request_data(path: str, post: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "https": "off",
        "http_host": "sp.harbour.test",
        "script_name": "",
        "path_info": path,
        "get_data": {},
        "post_data": post or {},
    }


def _start_login(idp: SamlIdp, name_id_format: str | None = None) -> tuple[str, str]:
    """The SP's redirect to the IdP (HTTP-Redirect binding) and the AuthnRequest's id."""
    auth = OneLogin_Saml2_Auth(_request_data("/accounts/saml/acme/login/"), _sp_settings(idp, name_id_format))
    url = auth.login(return_to="/after-login/")
    return url, auth.get_last_request_id()


def test_saml_metadata(saml_idp: SamlIdp) -> None:
    parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(
        saml_idp.metadata_url, entity_id=saml_idp.entity_id
    )
    assert parsed["idp"]["entityId"] == saml_idp.entity_id
    assert parsed["idp"]["singleSignOnService"] == {
        "url": saml_idp.sso_url,
        "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
    }
    assert parsed["idp"]["x509cert"] == saml_idp.certificate_base64


@pytest.mark.parametrize(
    ("name_id_format", "expected_format"),
    [
        (None, OneLogin_Saml2_Constants.NAMEID_EMAIL_ADDRESS),  # python3-saml asks for "unspecified"
        (OneLogin_Saml2_Constants.NAMEID_PERSISTENT, OneLogin_Saml2_Constants.NAMEID_PERSISTENT),
    ],
)
def test_saml_sign_in(
    saml_idp: SamlIdp, browser: httpx.Client, name_id_format: str | None, expected_format: str
) -> None:
    email = _email("alice")
    department = {"urn:example:department": ["Sales"]}
    saml_idp.add_user(email, "correct horse", "Alice Chan", email_verified=True, attributes=department)
    saml_idp.trust_sp(SP_ENTITY_ID, ACS_URL)
    url, request_id = _start_login(saml_idp, name_id_format)

    back = sign_in_at_idp(browser, url, email, "correct horse")

    assert (back.method, back.url, back.data["RelayState"]) == ("POST", ACS_URL, "/after-login/")
    xml = base64.b64decode(back.data["SAMLResponse"]).decode()
    assert xml.count("SignatureValue>") == 4  # the response's and the assertion's signatures
    settings = OneLogin_Saml2_Settings(_sp_settings(saml_idp, name_id_format))
    response = OneLogin_Saml2_Response(settings, back.data["SAMLResponse"])
    assert response.is_valid(
        _request_data("/accounts/saml/acme/acs/", back.data), request_id, raise_exceptions=True
    )
    assert response.get_audiences() == [SP_ENTITY_ID]
    assert response.get_issuers() == [saml_idp.entity_id]
    assert 'Destination="' + ACS_URL + '"' in xml and 'Recipient="' + ACS_URL + '"' in xml
    assert response.get_nameid_format() == expected_format
    expected_name_id = (
        email if expected_format.endswith("emailAddress") else saml_idp.persistent_id(email, SP_ENTITY_ID)
    )
    assert response.get_nameid() == expected_name_id
    assert response.get_attributes() == {
        "urn:oid:0.9.2342.19200300.100.1.3": [email],
        "urn:oid:2.5.4.42": ["Alice"],
        "urn:oid:2.5.4.4": ["Chan"],
        "urn:oid:2.16.840.1.113730.3.1.241": ["Alice Chan"],
        "http://schemas.auth0.com/email_verified": ["true"],
        "urn:example:department": ["Sales"],
    }

    # The way allauth's ACS handles it.
    auth = OneLogin_Saml2_Auth(_request_data("/accounts/saml/acme/acs/", back.data), _sp_settings(saml_idp))
    auth.process_response(request_id=None)
    assert auth.get_errors() == []
    assert auth.is_authenticated()
    assert auth.get_last_response_in_response_to() == request_id


def test_saml_post_binding(saml_idp: SamlIdp, browser: httpx.Client) -> None:
    email = _email("frank")
    saml_idp.add_user(email, "pw", "Frank")
    saml_idp.trust_sp(SP_ENTITY_ID, ACS_URL)
    settings = OneLogin_Saml2_Settings(_sp_settings(saml_idp))
    request = OneLogin_Saml2_Authn_Request(settings)
    start = {"SAMLRequest": request.get_request(deflate=False), "RelayState": "r"}

    back = sign_in_at_idp(browser, saml_idp.sso_url, email, "pw", start_form=start)

    assert (back.method, back.url, back.data["RelayState"]) == ("POST", ACS_URL, "r")
    response = OneLogin_Saml2_Response(settings, back.data["SAMLResponse"])
    acs_request = _request_data("/accounts/saml/acme/acs/", back.data)
    assert response.is_valid(acs_request, request.get_id(), raise_exceptions=True)
    assert response.get_attributes()["urn:oid:2.5.4.42"] == ["Frank"]


def test_tampered_saml_response_fails(saml_idp: SamlIdp, browser: httpx.Client) -> None:
    email = _email("grace")
    saml_idp.add_user(email, "pw", "Grace Ho")
    saml_idp.trust_sp(SP_ENTITY_ID, ACS_URL)
    url, request_id = _start_login(saml_idp)
    back = sign_in_at_idp(browser, url, email, "pw")
    xml = base64.b64decode(back.data["SAMLResponse"]).decode()
    tampered = base64.b64encode(xml.replace(email, "mallory@acme.com.hk").encode()).decode()
    settings = OneLogin_Saml2_Settings(_sp_settings(saml_idp))
    response = OneLogin_Saml2_Response(settings, tampered)
    assert not response.is_valid(
        _request_data("/accounts/saml/acme/acs/", {**back.data, "SAMLResponse": tampered}), request_id
    )
    assert "Signature validation failed" in (response.get_error() or "")


def test_saml_wrong_password_is_refused(saml_idp: SamlIdp, browser: httpx.Client) -> None:
    email = _email("heidi")
    saml_idp.add_user(email, "right", "Heidi")
    saml_idp.trust_sp(SP_ENTITY_ID, ACS_URL)
    url, _request_id = _start_login(saml_idp)
    with pytest.raises(IdpLoginRefused, match="Wrong email or password"):
        sign_in_at_idp(browser, url, email, "wrong")


def test_untrusted_sp_is_refused(saml_idp: SamlIdp, browser: httpx.Client) -> None:
    settings = _sp_settings(saml_idp)
    settings["sp"]["entityId"] = "http://stranger.example.test/metadata/"
    url = OneLogin_Saml2_Auth(_request_data("/login/"), settings).login()
    with pytest.raises(IdpError) as refused:
        sign_in_at_idp(browser, url, "x@acme.com.hk", "pw")
    assert refused.value.status_code == 403


def test_idp_return_goes_to_the_sp_as_it_was_addressed() -> None:
    class Recorder:
        def get(self, path: str, **extra: Any) -> tuple[str, str, dict[str, Any]]:
            return "GET", path, extra

        def post(self, path: str, data: dict[str, str], **extra: Any) -> tuple[str, str, dict[str, Any]]:
            return "POST", path, {"data": data, **extra}

    redirect = IdpReturn("GET", "https://acme.harbour.test/cb/?code=c&state=s")
    assert redirect.query == {"code": "c", "state": "s"}
    assert redirect.send(Recorder()) == (
        "GET",
        "/cb/?code=c&state=s",
        {"HTTP_HOST": "acme.harbour.test", "secure": True},
    )
    form = IdpReturn("POST", "http://testserver/acs/", {"SAMLResponse": "x", "RelayState": ""})
    assert form.send(Recorder()) == (
        "POST",
        "/acs/",
        {"data": {"SAMLResponse": "x", "RelayState": ""}, "HTTP_HOST": "testserver", "secure": False},
    )
