"""pytest fixtures for the test identity providers; a test module takes them with

    from tests.idp.fixtures import oidc_provider, saml_idp  # noqa: F401

Both are session-scoped and shared by every module that imports them (one provider of each kind per run).
Users and trusted clients persist for the session, so give each test its own email addresses.

- ``oidc_provider`` (``OidcProvider``): the OpenID Connect provider of ``tests.idp.oidc_provider`` in a
  subprocess. ``.issuer`` / ``.server_url`` (the same: allauth's ``server_url``), ``.discovery_url``,
  ``.client_id``, ``.client_secret``, ``.extra_claims`` (``{"tid": TENANT_ID}``),
  ``.add_user(email, password, name, email_verified=True, ...)`` (returns the user's ``sub``),
  ``.allow_redirect(uri)``.
- ``saml_idp`` (``tests.idp.saml_idp.SamlIdp``): the SAML IdP in a thread. ``.metadata_url``, ``.entity_id``
  (the metadata URL), ``.sso_url`` (HTTP-Redirect and HTTP-POST), ``.certificate_pem``,
  ``.certificate_base64``, ``.add_user(email, password, name, email_verified=None, ...)``,
  ``.trust_sp(entity_id, acs_url)``, ``.persistent_id(email, sp_entity_id)``.

``start_oidc_provider()`` and ``start_saml_idp()`` start further ones (context managers), e.g. a second
tenant's IdP. ``sign_in_at_idp`` (from ``tests.idp.user_agent``) is the user at either.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx
import pytest

from tests.idp.oidc_provider import ISSUER_PATH
from tests.idp.saml_idp import SamlIdp
from tests.idp.user_agent import IdpError, IdpLoginRefused, IdpReturn, sign_in_at_idp

__all__ = [
    "TENANT_ID",
    "IdpError",
    "IdpLoginRefused",
    "IdpReturn",
    "OidcProvider",
    "SamlIdp",
    "oidc_provider",
    "saml_idp",
    "sign_in_at_idp",
    "start_oidc_provider",
    "start_saml_idp",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
TENANT_ID = "3f2b8c1e-7d4a-4e8b-9c6f-5a1d2e3b4c5d"  # the ``tid`` claim of the shared provider, Entra ID style
STARTUP_TIMEOUT = 30.0


class OidcProvider:
    """A running test OpenID Connect provider (see ``tests.idp.oidc_provider``)."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        admin_token: str,
        extra_claims: dict[str, str],
    ) -> None:
        self.base_url = base_url
        self.issuer = base_url + ISSUER_PATH
        self.client_id = client_id
        self.client_secret = client_secret
        self.extra_claims = dict(extra_claims)
        self._admin = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {admin_token}"}, trust_env=False, timeout=10
        )

    @property
    def server_url(self) -> str:
        """What allauth's openid_connect provider takes as ``server_url`` (it appends the well-known path)."""
        return self.issuer

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def login_url(self) -> str:
        return f"{self.base_url}/login/"

    def add_user(
        self,
        email: str,
        password: str,
        name: str,
        email_verified: bool = True,
        *,
        given_name: str | None = None,
        family_name: str | None = None,
        sub: str | None = None,
        claims: dict[str, Any] | None = None,
    ) -> str:
        """Add the user, or update the one with this email; returns the user's ``sub``."""
        entry: dict[str, Any] = {
            "email": email,
            "password": password,
            "name": name,
            "email_verified": email_verified,
        }
        optional = {"given_name": given_name, "family_name": family_name, "sub": sub, "claims": claims}
        entry.update({key: value for key, value in optional.items() if value is not None})
        response = self._admin.post("/_admin/users", json=entry)
        response.raise_for_status()
        return str(response.json()["sub"])

    def allow_redirect(self, uri: str) -> None:
        """Register one more redirect URI for the client."""
        self._admin.post("/_admin/redirect-uris", json={"redirect_uri": uri}).raise_for_status()

    def close(self) -> None:
        self._admin.close()


def _wait_for_port_line(process: subprocess.Popen[bytes], stdout: Path, log: Path) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        for line in stdout.read_text().splitlines():
            if line.startswith("listening on "):
                return line.removeprefix("listening on ").strip()
        if process.poll() is not None:
            raise RuntimeError(f"the OIDC provider exited ({process.returncode}):\n{log.read_text()}")
        time.sleep(0.05)
    raise RuntimeError(f"the OIDC provider did not start in {STARTUP_TIMEOUT:.0f} s:\n{log.read_text()}")


@contextmanager
def start_oidc_provider(
    *,
    client_id: str = "harbour-test",
    client_secret: str | None = None,
    redirect_uris: tuple[str, ...] = (),
    users: tuple[dict[str, Any], ...] = (),
    claims: dict[str, str] | None = None,
) -> Iterator[OidcProvider]:
    """Run ``python -m tests.idp.oidc_provider`` on a free port until the block ends."""
    client_secret = client_secret or secrets.token_urlsafe(24)
    claims = {"tid": TENANT_ID} if claims is None else claims
    admin_token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="oidc-idp-run-") as tmp:
        users_file, stdout, log = Path(tmp, "users.json"), Path(tmp, "stdout"), Path(tmp, "provider.log")
        users_file.write_text(json.dumps(list(users)))
        command = [sys.executable, "-m", "tests.idp.oidc_provider", "--port", "0", "--exit-with-parent"]
        # "--option=value": a random secret may begin with "-", which argparse would take for an option.
        command += [f"--client-id={client_id}", f"--client-secret={client_secret}", f"--users={users_file}"]
        for uri in redirect_uris:
            command += [f"--redirect-uri={uri}"]
        for name, value in claims.items():
            command += [f"--claim={name}={value}"]
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        env["OIDC_IDP_ADMIN_TOKEN"] = admin_token
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        with stdout.open("wb") as out, log.open("wb") as err:
            process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=err)
        provider: OidcProvider | None = None
        try:
            base_url = _wait_for_port_line(process, stdout, log)
            provider = OidcProvider(base_url, client_id, client_secret, admin_token, claims)
            httpx.get(provider.discovery_url, trust_env=False, timeout=10).raise_for_status()
            yield provider
        finally:
            if provider is not None:
                provider.close()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def start_saml_idp() -> Iterator[SamlIdp]:
    """Serve a new SAML IdP from a thread until the block ends."""
    with SamlIdp() as idp:
        yield idp


T = TypeVar("T")


class _Shared(Generic[T]):
    """One instance for every module that imports a session fixture (pytest would make one per module)."""

    def __init__(self, factory: Callable[[], AbstractContextManager[T]]) -> None:
        self._factory = factory
        self._users = 0
        self._stack: ExitStack | None = None
        self._value: T | None = None

    @contextmanager
    def use(self) -> Iterator[T]:
        if self._users == 0:
            self._stack = ExitStack()
            self._value = self._stack.enter_context(self._factory())
        self._users += 1
        try:
            assert self._value is not None
            yield self._value
        finally:
            self._users -= 1
            if self._users == 0 and self._stack is not None:
                self._stack.close()
                self._stack, self._value = None, None


_shared_oidc_provider = _Shared(start_oidc_provider)
_shared_saml_idp = _Shared(start_saml_idp)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    with _shared_oidc_provider.use() as provider:
        yield provider


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[SamlIdp]:
    with _shared_saml_idp.use() as idp:
        yield idp
