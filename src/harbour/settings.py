"""Harbour settings: one module, driven by ``HARBOUR_*`` and ``DATABASE_URL`` environment variables."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("HARBOUR_DATA_DIR", "./.harbour")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Take the key from the environment, else from the data dir, generating it there on first run."""
    from_env = os.environ.get("HARBOUR_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("HARBOUR_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("HARBOUR_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HARBOUR_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# TLS: when Harbour is served over HTTPS (directly or behind a proxy that says so), cookies are
# secure-only and HSTS is sent. `harbour demo` serves plain HTTP on loopback, so it is off there.
HTTPS = _env_bool("HARBOUR_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _env_bool("HARBOUR_SSL_REDIRECT", True)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("HARBOUR_SESSION_SECONDS", str(12 * 3600)))
CSRF_COOKIE_HTTPONLY = False  # HTMX reads it to send the X-CSRFToken header
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "ninja",  # serves the OpenAPI viewer from its bundled static files (no CDN)
    "harbour.core",
    "harbour.audit",
    "harbour.directory",
    "harbour.security",
    "harbour.identity",
    "harbour.plans",
    "harbour.procurement",
    "harbour.lifecycle",
    "harbour.collaborators",
    "harbour.reviews",
    "harbour.policies",
    "harbour.training",
    "harbour.announcements",
    "harbour.pdpo",
    "harbour.data_requests",
    "harbour.integrations.dingtalk",
    "harbour.retention",
    "harbour.compliance",
    "harbour.oplog",
    "django_tasks",
    "django_tasks_db",
    "harbour.jobs",
    "harbour.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "harbour.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "harbour.core.middleware.RequestContextMiddleware",
    "harbour.identity.middleware.ActorMiddleware",
    "harbour.console.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "harbour.urls"
ASGI_APPLICATION = "harbour.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harbour.console.context.console",
            ],
        },
    }
]


def _sqlite_options() -> dict[str, object]:
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
            # Random UUID keys touch pages all over each index: a 64 MiB page cache (the default is 2 MiB)
            # keeps bulk writes from spilling dirty pages to the WAL mid-transaction.
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }


_default_sqlite = f"sqlite:///{DATA_DIR / 'harbour.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=0)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = _sqlite_options()
    # Tests run on a file, not the in-memory default: concurrent transactions then lock and wait the way
    # they do in production, instead of failing on shared-cache table locks. One file per test process.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-harbour-{os.getpid()}.sqlite3")}


def _tenant_databases(spec: str) -> dict[str, str]:
    """``HARBOUR_TENANT_DATABASES="alias=URL alias2=URL2"``: dedicated databases for Premium companies."""
    databases: dict[str, str] = {}
    for entry in spec.replace(",", " ").split():
        alias, _sep, url = entry.partition("=")
        if not _sep or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", alias) or alias == "default" or not url:
            raise ImproperlyConfigured(f"HARBOUR_TENANT_DATABASES: {entry!r} is not alias=URL")
        databases[alias] = url
    return databases


HARBOUR_TENANT_DATABASES = _tenant_databases(os.environ.get("HARBOUR_TENANT_DATABASES", ""))
for _alias, _url in HARBOUR_TENANT_DATABASES.items():
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=0)
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES[_alias]["OPTIONS"] = _sqlite_options()
        DATABASES[_alias]["TEST"] = {"NAME": str(DATA_DIR / f"test-harbour-{_alias}-{os.getpid()}.sqlite3")}
DATABASE_ROUTERS = ["harbour.core.databases.TenantRouter"]

# Background jobs: the Tasks framework (django-tasks backport) with its database backend. `harbour worker`
# processes (any number, on any host) run the queued tasks and the periodic schedule (harbour.jobs.schedule);
# `harbour demo` runs one worker in-process. "maintenance" holds the periodic housekeeping (renewals, purges),
# so a worker started with `--queue default` keeps answering user-triggered work while a long purge runs.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "maintenance"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.Account"
AUTHENTICATION_BACKENDS = ["harbour.identity.backends.AccountBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-allauth serves only the single sign-on protocol endpoints (identity.sso); Harbour's own pages do
# every sign-in, so allauth's account pages (local signup, password login) are never routed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_ADAPTER = "harbour.identity.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "console:dashboard"

# Login throttling: failed attempts per (account email) and per client address inside a window.
# Domain verification reads DNS TXT records through these servers (the system's resolver when empty).
HARBOUR_DNS_SERVERS = os.environ.get("HARBOUR_DNS_SERVERS", "").split()
HARBOUR_DNS_PORT = int(os.environ.get("HARBOUR_DNS_PORT", "53"))

LOGIN_FAILURE_LIMIT = int(os.environ.get("HARBOUR_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("HARBOUR_LOGIN_FAILURE_WINDOW", "900"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hant", _("Traditional Chinese (Hong Kong)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Hong_Kong"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("HARBOUR_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("HARBOUR_FROM_EMAIL", "harbour@localhost")
HARBOUR_BASE_URL = os.environ.get("HARBOUR_BASE_URL", "http://127.0.0.1:8000")
# Company devices (WebAuthn): the relying party id; empty means the host name each request came to.
HARBOUR_WEBAUTHN_RP_ID = os.environ.get("HARBOUR_WEBAUTHN_RP_ID", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("HARBOUR_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["HARBOUR_REDIS_URL"],
    }

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HARBOUR_LOG_LEVEL", "WARNING")},
}
