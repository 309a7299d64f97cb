"""DingTalk's HTTP-callback encryption (reference §9), implemented here independently of the product code.

Key = base64(aes_key + "="), AES-256-CBC with IV = key[:16], PKCS#7 padding to 32-byte blocks; the
plaintext is
16 random bytes, the 4-byte big-endian message length, the message and the owner key (the app key). The
signature is the SHA-1 hex digest of the sorted concatenation of token, timestamp, nonce and ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import string
import struct
import time
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    pass


def new_aes_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()[:43]


def new_nonce() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(8))


class CallbackCipher:
    def __init__(self, token: str, aes_key: str, owner_key: str):
        if len(aes_key) != 43:
            raise CryptoError("the AES key must be 43 characters")
        self.token = token
        self.key = base64.b64decode(aes_key + "=")
        self.owner_key = owner_key

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        joined = "".join(sorted([self.token, timestamp, nonce, encrypt]))
        return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()

    def encrypt(self, text: str) -> str:
        message = text.encode()
        plain = os.urandom(16) + struct.pack(">I", len(message)) + message + self.owner_key.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypt: str) -> tuple[str, str]:
        """(message, owner key) of a ciphertext; raises CryptoError when it is not well formed."""
        try:
            data = base64.b64decode(encrypt)
            decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
            plain = decryptor.update(data) + decryptor.finalize()
        except ValueError as error:
            raise CryptoError("undecryptable payload") from error
        pad = plain[-1] if plain else 0
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CryptoError("bad padding")
        plain = plain[:-pad]
        (length,) = struct.unpack(">I", plain[16:20])
        message = plain[20 : 20 + length]
        if len(message) != length:
            raise CryptoError("truncated payload")
        return message.decode(), plain[20 + length :].decode()

    def seal(self, envelope: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """Query parameters and body of a push carrying ``envelope``."""
        encrypt = self.encrypt(json.dumps(envelope, ensure_ascii=False, separators=(",", ":")))
        timestamp, nonce = str(int(time.time() * 1000)), new_nonce()
        params = {
            "signature": self.signature(timestamp, nonce, encrypt),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return params, {"encrypt": encrypt}

    def open_reply(self, reply: Any) -> str:
        """The text of a receiver's encrypted reply, after checking its signature and owner key."""
        if not isinstance(reply, dict):
            raise CryptoError("the reply is not a JSON object")
        try:
            signature, timestamp = str(reply["msg_signature"]), str(reply["timeStamp"])
            nonce, encrypt = str(reply["nonce"]), str(reply["encrypt"])
        except KeyError as missing:
            raise CryptoError(f"the reply lacks {missing}") from None
        if signature != self.signature(timestamp, nonce, encrypt):
            raise CryptoError("the reply signature does not match")
        text, owner = self.decrypt(encrypt)
        if owner != self.owner_key:
            raise CryptoError("the reply is for another owner key")
        return text
