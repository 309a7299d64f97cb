"""DingTalk's callback encryption: vectors built by hand, tampering refused, and a round trip with the
emulator's own implementation."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from harbour.integrations.dingtalk.callback_crypto import BadCallback, CallbackCrypto, new_aes_key, new_token
from tests.dingtalk_emulator import Emulator

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
TOKEN = "callbacktoken"
OWNER = "dingappkey"


def seal_by_hand(text: str, owner: str, aes_key: str = AES_KEY) -> str:
    """The scheme written out step by step, independently of the module under test."""
    key = base64.b64decode(aes_key + "=")
    message = text.encode()
    plain = b"0123456789abcdef" + struct.pack(">I", len(message)) + message + owner.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def test_signature_is_sha1_of_the_sorted_parts() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    joined = b"".join(sorted([b"callbacktoken", b"1700000000000", b"nonce1", b"ENC"]))
    expected = hashlib.sha1(joined, usedforsecurity=False).hexdigest()
    assert crypto.signature("1700000000000", "nonce1", "ENC") == expected


def test_a_push_sealed_by_hand_opens() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    encrypt = seal_by_hand(json.dumps({"EventType": "user_leave_org", "UserId": ["u1"]}), OWNER)
    signature = crypto.signature("1700000000000", "n0nce", encrypt)
    assert crypto.decrypt_push(signature, "1700000000000", "n0nce", encrypt) == {
        "EventType": "user_leave_org",
        "UserId": ["u1"],
    }


def test_own_encryption_round_trips_and_pads_to_32_byte_blocks() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    for text in ["", "success", "x" * 31, "中文事件" * 20]:
        sealed = crypto.encrypt(text)
        assert len(base64.b64decode(sealed)) % 32 == 0
        assert crypto.decrypt(sealed) == text


def test_reply_is_signed_and_says_success() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    reply = crypto.reply()
    assert set(reply) == {"msg_signature", "timeStamp", "nonce", "encrypt"}
    assert reply["msg_signature"] == crypto.signature(reply["timeStamp"], reply["nonce"], reply["encrypt"])
    assert crypto.decrypt(reply["encrypt"]) == "success"


def test_a_wrong_signature_is_refused() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    encrypt = crypto.encrypt("{}")
    with pytest.raises(BadCallback) as caught:
        crypto.decrypt_push("0" * 40, "1", "n", encrypt)
    assert caught.value.reason == "signature"
    assert str(caught.value.explanation)


def test_another_apps_push_is_refused() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    encrypt = seal_by_hand("{}", "someoneelse")
    with pytest.raises(BadCallback) as caught:
        crypto.decrypt_push(crypto.signature("1", "n", encrypt), "1", "n", encrypt)
    assert caught.value.reason == "owner_key"


@pytest.mark.parametrize("encrypt", ["not base64!", base64.b64encode(b"short").decode(), ""])
def test_garbage_payload_is_refused(encrypt: str) -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    with pytest.raises(BadCallback) as caught:
        crypto.decrypt_push(crypto.signature("1", "n", encrypt), "1", "n", encrypt)
    assert caught.value.reason == "payload"


def test_a_payload_sealed_under_another_key_is_refused() -> None:
    crypto = CallbackCrypto(TOKEN, AES_KEY, OWNER)
    encrypt = seal_by_hand("{}", OWNER, aes_key="Z" * 43)
    with pytest.raises(BadCallback) as caught:
        crypto.decrypt_push(crypto.signature("1", "n", encrypt), "1", "n", encrypt)
    assert caught.value.reason in {"payload", "owner_key"}


def test_generated_keys_fit_dingtalks_console() -> None:
    key = new_aes_key()
    assert len(key) == 43 and key.isalnum()
    assert len(base64.b64decode(key + "=")) == 32
    CallbackCrypto(new_token(), key, OWNER).decrypt(CallbackCrypto(new_token(), key, OWNER).encrypt("hi"))


def test_a_key_of_the_wrong_length_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="43"):
        CallbackCrypto(TOKEN, "short", OWNER)


@pytest.fixture
def emulator_with_callback(make_dingtalk_emulator: Callable[..., Emulator]) -> Emulator:
    return make_dingtalk_emulator(callback_token=TOKEN, callback_aes_key=new_aes_key())


def crypto_for(emu: Emulator) -> CallbackCrypto:
    assert emu.callback_token and emu.callback_aes_key
    return CallbackCrypto(emu.callback_token, emu.callback_aes_key, emu.appkey)


def test_a_push_sealed_by_the_emulator_opens(emulator_with_callback: Emulator) -> None:
    envelope = {
        "EventType": "user_leave_org",
        "CorpId": "dingcorp",
        "TimeStamp": "1700000000000",
        "UserId": ["u1"],
    }
    query, body = emulator_with_callback.push_payload(envelope)
    opened = crypto_for(emulator_with_callback).decrypt_push(
        query["signature"], query["timestamp"], query["nonce"], body["encrypt"]
    )
    assert opened == envelope


def test_our_reply_is_accepted_by_the_emulator(emulator_with_callback: Emulator) -> None:
    assert emulator_with_callback.decrypt_reply(crypto_for(emulator_with_callback).reply()) == "success"


def test_a_push_with_a_forged_signature_is_refused(emulator_with_callback: Emulator) -> None:
    query, body = emulator_with_callback.push_payload({"EventType": "check_url"})
    forged = hashlib.sha1(b"forged", usedforsecurity=False).hexdigest()
    with pytest.raises(BadCallback) as caught:
        crypto_for(emulator_with_callback).decrypt_push(
            forged, query["timestamp"], query["nonce"], body["encrypt"]
        )
    assert caught.value.reason == "signature"


def test_a_tampered_push_is_refused(emulator_with_callback: Emulator) -> None:
    query, body = emulator_with_callback.push_payload({"EventType": "user_add_org", "UserId": ["u2"]})
    sealed = bytearray(base64.b64decode(body["encrypt"]))
    sealed[20] ^= 0x01  # flip one bit in the first block of the ciphertext
    tampered = base64.b64encode(bytes(sealed)).decode()
    crypto = crypto_for(emulator_with_callback)
    with pytest.raises(BadCallback) as caught:
        crypto.decrypt_push(query["signature"], query["timestamp"], query["nonce"], tampered)
    assert caught.value.reason == "signature"  # the signature covers the ciphertext
    resigned = crypto.signature(query["timestamp"], query["nonce"], tampered)
    # even re-signed with our token, a tampered ciphertext does not open to the original event
    try:
        opened = crypto.decrypt_push(resigned, query["timestamp"], query["nonce"], tampered)
    except BadCallback as refused:
        assert refused.reason in {"payload", "owner_key"}
    else:
        assert opened != {"EventType": "user_add_org", "UserId": ["u2"]}


def test_a_push_for_another_app_is_refused(emulator_with_callback: Emulator) -> None:
    query, body = emulator_with_callback.push_payload({"EventType": "check_url"})
    assert emulator_with_callback.callback_token and emulator_with_callback.callback_aes_key
    other_app = CallbackCrypto(
        emulator_with_callback.callback_token, emulator_with_callback.callback_aes_key, "other"
    )
    with pytest.raises(BadCallback) as caught:
        other_app.decrypt_push(query["signature"], query["timestamp"], query["nonce"], body["encrypt"])
    assert caught.value.reason == "owner_key"
