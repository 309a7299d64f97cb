"""Settings of the test OpenID Connect provider; `__main__` sets their environment before Django starts."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DATA_DIR = Path(os.environ["OIDC_IDP_DATA_DIR"])
ISSUER = os.environ["OIDC_IDP_ISSUER"]
OIDC_IDP_EXTRA_CLAIMS: dict[str, str] = json.loads(os.environ.get("OIDC_IDP_EXTRA_CLAIMS", "{}"))
OIDC_IDP_ADMIN_TOKEN = os.environ.get("OIDC_IDP_ADMIN_TOKEN", "")

SECRET_KEY = secrets.token_urlsafe(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.idp.oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.idp.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "idp.sqlite3")}}
# Tables straight from the models (``migrate --run-syncdb``): quicker than running every migration.
MIGRATION_MODULES = {
    app: None for app in ("auth", "contenttypes", "sessions", "oauth2_provider", "oidc_provider")
}

# Test-only: a fast hasher for user passwords and the hashed client secret.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Distinct cookie names: browsers (and httpx) do not separate cookies by port, and the SP or the SAML IdP
# may run on the same 127.0.0.1.
SESSION_COOKIE_NAME = "oidc_idp_session"
CSRF_COOKIE_NAME = "oidc_idp_csrftoken"
LOGIN_URL = "/login/"

_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": _key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode(),
    "PKCE_REQUIRED": False,
    "SCOPES": {"openid": "OpenID Connect", "email": "Email address", "profile": "Name"},
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "tests.idp.oidc_provider.validator.ClaimsValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
}

# Warnings and errors (with tracebacks) to stderr, which the fixture keeps in a log file.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
