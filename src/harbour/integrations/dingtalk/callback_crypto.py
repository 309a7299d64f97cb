"""DingTalk's encryption for HTTP event callbacks: checking and opening a push, sealing the reply.

Key: the 43-character AES key from the developer console, Base64-decoded with one "=" appended (32 bytes);
AES-256-CBC with the first 16 key bytes as IV and PKCS#7 padding to 32-byte blocks. Plaintext: 16 random
bytes, the message length (4 bytes, big-endian), the message, then the owner key (the AppKey for apps that
subscribe in the developer console). Signature: SHA-1 hex of the sorted concatenation of token, timestamp,
nonce and the encrypted text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import string
import struct
import time
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BLOCK = 32
AES_KEY_LENGTH = 43
ALPHANUMERIC = string.ascii_letters + string.digits

REASONS: dict[str, str | Promise] = {
    "signature": _("The callback's signature does not match: it was not sent by DingTalk with our token."),
    "payload": _("The callback's encrypted payload could not be opened with our AES key."),
    "owner_key": _("The callback was encrypted for another app."),
}


class BadCallback(Exception):
    """A push to refuse; ``reason`` is one of REASONS' keys."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    @property
    def explanation(self) -> str | Promise:
        return REASONS.get(self.reason, self.reason)


def new_aes_key() -> str:
    """A fresh 43-character key of letters and digits, as DingTalk's console accepts."""
    return "".join(secrets.choice(ALPHANUMERIC) for _ in range(AES_KEY_LENGTH))


def new_token() -> str:
    return "".join(secrets.choice(ALPHANUMERIC) for _ in range(32))


def _nonce() -> str:
    return "".join(secrets.choice(ALPHANUMERIC) for _ in range(16))


def _pad(data: bytes) -> bytes:
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def _unpad(data: bytes) -> bytes:
    if not data:
        raise BadCallback("payload", "empty")
    count = data[-1]
    if not 1 <= count <= BLOCK or count > len(data) or data[-count:] != bytes([count]) * count:
        raise BadCallback("payload", "bad padding")
    return data[:-count]


class CallbackCrypto:
    """One subscription's token, AES key and owner key (the AppKey, or the corpId for legacy callbacks)."""

    def __init__(self, token: str, aes_key: str, owner_key: str) -> None:
        if len(aes_key) != AES_KEY_LENGTH:
            raise ValueError(f"DingTalk's AES key has {AES_KEY_LENGTH} characters, not {len(aes_key)}")
        try:
            self.key = base64.b64decode(aes_key + "=")
        except binascii.Error as exc:
            raise ValueError("the AES key is not Base64 text") from exc
        self.token = token
        self.owner_key = owner_key

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        parts = sorted([self.token, str(timestamp), str(nonce), encrypt])
        return hashlib.sha1("".join(parts).encode(), usedforsecurity=False).hexdigest()

    def encrypt(self, text: str) -> str:
        message = text.encode()
        plain = secrets.token_bytes(16) + struct.pack(">I", len(message)) + message + self.owner_key.encode()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()

    def decrypt(self, encrypt: str) -> str:
        """The message inside, after checking the padding, the length and the owner key."""
        try:
            sealed = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadCallback("payload", "not Base64") from exc
        if not sealed or len(sealed) % 16:
            raise BadCallback("payload", "not whole AES blocks")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(sealed) + decryptor.finalize())
        if len(plain) < 20:
            raise BadCallback("payload", "too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise BadCallback("payload", "bad length")
        owner = plain[20 + length :]
        if not hmac.compare_digest(owner, self.owner_key.encode()):
            raise BadCallback("owner_key")
        try:
            return plain[20 : 20 + length].decode()
        except UnicodeDecodeError as exc:
            raise BadCallback("payload", "not UTF-8") from exc

    def decrypt_push(self, signature: str, timestamp: str, nonce: str, encrypt: str) -> dict[str, Any]:
        """The event envelope of a push, once its signature and payload are proved genuine."""
        expected = self.signature(timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode(), (signature or "").encode()):
            raise BadCallback("signature")
        text = self.decrypt(encrypt)
        try:
            envelope = json.loads(text)
        except ValueError as exc:
            raise BadCallback("payload", "not JSON") from exc
        if not isinstance(envelope, dict):
            raise BadCallback("payload", "not a JSON object")
        return envelope

    def reply(self, text: str = "success") -> dict[str, str]:
        """The encrypted answer DingTalk expects (``success`` acknowledges the event)."""
        timestamp = str(int(time.time() * 1000))
        nonce = _nonce()
        encrypt = self.encrypt(text)
        return {
            "msg_signature": self.signature(timestamp, nonce, encrypt),
            "timeStamp": timestamp,
            "nonce": nonce,
            "encrypt": encrypt,
        }
