"""A small OpenID Connect provider for tests: django-oauth-toolkit in a Django project of its own.

Run it (it serves on 127.0.0.1 until SIGTERM/SIGINT)::

    uv run python -m tests.idp.oidc_provider --port 0 --client-id harbour --client-secret s3cret \
        --redirect-uri http://testserver/accounts/oidc/acme/login/callback/ --users users.json \
        [--claim tid=<tenant id> ...] [--admin-token TOKEN] [--exit-with-parent]

``--port 0`` picks a free port. The first line on stdout is ``listening on http://127.0.0.1:<port>`` once
the provider answers. It uses its own settings module (``tests.idp.oidc_provider.settings``), an SQLite
database in a temporary directory that is removed at exit, and an RSA key generated at start (RS256).

- Issuer: ``http://127.0.0.1:<port>/o``; discovery at ``<issuer>/.well-known/openid-configuration``
  (give the issuer as allauth's ``server_url``). Authorize ``<issuer>/authorize/``, token
  ``<issuer>/token/`` (``client_secret_post`` and ``client_secret_basic``), userinfo ``<issuer>/userinfo/``,
  JWKS ``<issuer>/.well-known/jwks.json``.
- One confidential client, authorization-code grant, PKCE optional, consent skipped, redirect URIs matched
  exactly. Scopes ``openid``, ``email``, ``profile``.
- Sign-in form at ``/login/`` (email and password).
- Claims: ``sub`` (stable per user: given, or derived from the email), ``email`` and ``email_verified``
  (scope ``email``), ``name``, ``given_name``, ``family_name`` (scope ``profile``), and in every token and
  userinfo answer the ``--claim NAME=VALUE`` claims (e.g. ``tid``, like Entra ID) and the user's own
  ``claims``.
- ``users.json``: a list of ``{"email", "password", "name", "email_verified"}``, optionally with
  ``given_name``, ``family_name`` (else split from ``name``), ``sub`` and ``claims`` (an object).

While it runs, with ``--admin-token`` (or ``OIDC_IDP_ADMIN_TOKEN`` in the environment) and the header
``Authorization: Bearer <token>``:

- ``POST /_admin/users`` with a users.json entry as JSON body adds the user, or updates the user with that
  email; answers ``{"sub": ...}``.
- ``POST /_admin/redirect-uris`` with ``{"redirect_uri": "..."}`` registers one more redirect URI for the
  client; answers ``{"redirect_uris": [...]}``.

Without a token the admin endpoints answer 404.
"""

ISSUER_PATH = "/o"
