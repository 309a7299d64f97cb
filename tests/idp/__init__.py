"""Identity providers that tests start on loopback: an OpenID Connect provider and a SAML 2.0 IdP.

``tests.idp.fixtures`` holds the pytest fixtures and the helper that plays the user at the IdP.
"""
