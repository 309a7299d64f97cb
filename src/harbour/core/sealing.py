"""Secrets Harbour must be able to read back (authenticator seeds, identity providers' client secrets) are
kept in the database sealed: Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from the server's
secret key. A copy of the database alone does not reveal them.

Rotating the secret key: put the old one in ``SECRET_KEY_FALLBACKS`` — values sealed under it still open,
and are sealed under the new key the next time they are written.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed:v1:"


class CannotUnseal(Exception):
    """The value was sealed under a key this server no longer has."""


def _key(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"harbour-sealing", info=b"v1").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_key(s) for s in secrets])


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(plain: str) -> str:
    if not plain or is_sealed(plain):
        return plain
    return PREFIX + _keys().encrypt(plain.encode()).decode()


def unseal(stored: str) -> str:
    """The plain value; a value stored before sealing existed is returned as it is."""
    if not stored or not is_sealed(stored):
        return stored
    try:
        return _keys().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise CannotUnseal("sealed under a secret key this server does not have") from None
