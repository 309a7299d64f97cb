"""The identity-provider fixtures for the tests of this directory."""

from tests.idp.fixtures import oidc_provider, saml_idp  # noqa: F401
