"""A software WebAuthn authenticator for tests: real keys, real CBOR, real signatures.

It answers the options a page hands to ``navigator.credentials.create()`` / ``.get()`` the way a
browser plus a platform authenticator would: an EC P-256 key pair per credential, authenticator data
(SHA-256 of the RP id, flags, a signature counter, attested credential data with a COSE key), a CBOR
attestation object of format "none", the client data JSON with the challenge and origin, and an ES256
signature over ``authenticatorData || SHA-256(clientDataJSON)``. Nothing is canned.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP = 0x01  # user present
FLAG_UV = 0x04  # user verified
FLAG_AT = 0x40  # attested credential data included


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )


@dataclass
class SoftwareAuthenticator:
    """Holds credentials like a device would. ``origin`` is what the "browser" puts in client data."""

    origin: str = "http://testserver"
    aaguid: bytes = bytes(16)
    user_verified: bool = True
    counter_step: int = 1
    credentials: dict[bytes, Credential] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------- helpers
    def _flags(self, attested: bool) -> int:
        flags = FLAG_UP | (FLAG_UV if self.user_verified else 0)
        return flags | (FLAG_AT if attested else 0)

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()

    # -------------------------------------------------------------------------------- ceremonies
    def create(self, options: dict[str, Any], *, origin: str | None = None) -> dict[str, Any]:
        """Answer ``PublicKeyCredentialCreationOptions`` (JSON form) with a new credential."""
        rp_id = options["rp"]["id"]
        excluded = {unb64url(d["id"]) for d in options.get("excludeCredentials") or []}
        if excluded & set(self.credentials):
            raise RuntimeError("InvalidStateError: this authenticator already holds an excluded credential")
        algorithms = [p["alg"] for p in options["pubKeyCredParams"]]
        assert -7 in algorithms, "the relying party must accept ES256"
        credential = Credential(
            credential_id=os.urandom(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=unb64url(options["user"]["id"]),
        )
        self.credentials[credential.credential_id] = credential
        attested = (
            self.aaguid
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + credential.cose_public_key()
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags(attested=True)])
            + struct.pack(">I", credential.sign_count)
            + attested
        )
        attestation_object = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation_object),
                "transports": ["internal"],
            },
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        credential_id: bytes | None = None,
        sign_count: int | None = None,
    ) -> dict[str, Any]:
        """Answer ``PublicKeyCredentialRequestOptions`` with an assertion of an allowed credential (or of
        ``credential_id``, allowed or not). ``sign_count`` overrides the counter (a cloned key's)."""
        rp_id = options["rpId"]
        if credential_id is None:
            allowed = [unb64url(d["id"]) for d in options.get("allowCredentials") or []]
            credential_id = next((c for c in allowed if c in self.credentials), None)
            if credential_id is None:
                raise RuntimeError("NotAllowedError: no credential of this authenticator is allowed")
        credential = self.credentials[credential_id]
        if sign_count is None:
            credential.sign_count += self.counter_step
            sign_count = credential.sign_count
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags(attested=False)])
            + struct.pack(">I", sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
        }

    def clone(self) -> SoftwareAuthenticator:
        """A copy holding the same keys and counters (what an extracted key amounts to)."""
        twin = SoftwareAuthenticator(origin=self.origin, aaguid=self.aaguid, user_verified=self.user_verified)
        for key, credential in self.credentials.items():
            twin.credentials[key] = Credential(
                credential_id=credential.credential_id,
                private_key=credential.private_key,
                rp_id=credential.rp_id,
                user_handle=credential.user_handle,
                sign_count=credential.sign_count,
            )
        return twin

    @property
    def only_credential_id(self) -> bytes:
        (key,) = self.credentials
        return key
