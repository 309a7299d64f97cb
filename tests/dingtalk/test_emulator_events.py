"""The emulator's events: envelopes on mutations, DingTalk's callback encryption, encrypted pushes to a
callback URL (expecting an encrypted "success"), and the failed-push list."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.dingtalk_emulator import Emulator
from tests.dingtalk_emulator.calls import oapi
from tests.dingtalk_emulator.crypto import CallbackCipher, CryptoError, new_aes_key, new_nonce

TOKEN = "callbacktoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class Receiver:
    """A callback endpoint on loopback that decrypts each push and answers as told."""

    def __init__(self, answer: str = "success") -> None:
        self.answer = answer
        self.received: list[dict[str, Any]] = []
        self.cipher = CallbackCipher(TOKEN, AES_KEY, "dingappkey")
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = dict(parse_qsl(urlsplit(self.path).query))
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert query["signature"] == receiver.cipher.signature(
                    query["timestamp"], query["nonce"], body["encrypt"]
                )
                text, owner = receiver.cipher.decrypt(body["encrypt"])
                assert owner == "dingappkey"
                receiver.received.append(json.loads(text))
                encrypt = receiver.cipher.encrypt(receiver.answer)
                timestamp, nonce = query["timestamp"], new_nonce()
                reply = json.dumps(
                    {
                        "msg_signature": receiver.cipher.signature(timestamp, nonce, encrypt),
                        "timeStamp": timestamp,
                        "nonce": nonce,
                        "encrypt": encrypt,
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dingtalk/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def test_ciphertext_has_dingtalks_layout() -> None:
    cipher = CallbackCipher(TOKEN, AES_KEY, "dingappkey")
    encrypt = cipher.encrypt('{"EventType":"check_url"}')
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
    assert len(plain) % 32 == 0
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    assert plain[20 : 20 + length] == b'{"EventType":"check_url"}'
    assert plain[20 + length :] == b"dingappkey"
    parts = sorted([TOKEN, "1700000000000", "nonce123", encrypt])
    expected = hashlib.sha1("".join(parts).encode(), usedforsecurity=False).hexdigest()
    assert cipher.signature("1700000000000", "nonce123", encrypt) == expected
    assert len(new_aes_key()) == 43


def test_a_reply_for_another_owner_or_with_a_bad_signature_is_refused() -> None:
    ours = CallbackCipher(TOKEN, AES_KEY, "dingappkey")
    theirs = CallbackCipher(TOKEN, AES_KEY, "someoneelse")
    encrypt = theirs.encrypt("success")
    reply = {
        "msg_signature": theirs.signature("1", "n", encrypt),
        "timeStamp": "1",
        "nonce": "n",
        "encrypt": encrypt,
    }
    with pytest.raises(CryptoError):
        ours.open_reply(reply)
    with pytest.raises(CryptoError):
        ours.open_reply({**reply, "msg_signature": "0" * 40})


def test_mutations_are_pushed_encrypted_in_order(
    make_dingtalk_emulator: Callable[..., Emulator], receiver: Receiver
) -> None:
    emu = make_dingtalk_emulator(callback_url=receiver.url, callback_token=TOKEN, callback_aes_key=AES_KEY)
    dept = oapi(emu, "/topapi/v2/department/create", {"name": "Eng", "parent_id": 1})["result"]["dept_id"]
    oapi(
        emu,
        "/topapi/v2/user/create",
        {"userid": "ann", "name": "Ann", "mobile": "13800000001", "dept_id_list": str(dept)},
    )
    oapi(emu, "/topapi/v2/user/update", {"userid": "ann", "title": "Lead"})
    oapi(emu, "/topapi/v2/user/delete", {"userid": "ann"})
    oapi(emu, "/topapi/v2/department/update", {"dept_id": dept, "name": "Engineering"})
    oapi(emu, "/topapi/v2/department/delete", {"dept_id": dept})
    assert emu.wait_for_pushes()
    kinds = [
        "org_dept_create",
        "user_add_org",
        "user_modify_org",
        "user_leave_org",
        "org_dept_modify",
        "org_dept_remove",
    ]
    assert [e["EventType"] for e in emu.events] == kinds
    assert receiver.received == emu.events
    assert emu.events[1]["UserId"] == ["ann"] and emu.events[0]["DeptId"] == [dept]
    assert all(e["CorpId"] == "dingcorp" and e["TimeStamp"].isdigit() for e in emu.events)
    assert emu.failed_pushes == []


def test_a_push_not_answered_with_success_is_a_failed_push(
    make_dingtalk_emulator: Callable[..., Emulator], receiver: Receiver
) -> None:
    receiver.answer = "fail"
    emu = make_dingtalk_emulator(callback_url=receiver.url, callback_token=TOKEN, callback_aes_key=AES_KEY)
    emu.add_user(name="Ann", mobile="13800000001", userid="ann")
    oapi(emu, "/topapi/v2/user/delete", {"userid": "ann"})
    assert emu.wait_for_pushes()
    assert [f["event"]["EventType"] for f in emu.failed_pushes] == ["user_leave_org"]
    listed = oapi(emu, "/call_back/get_call_back_failed_result")
    assert listed["has_more"] is False
    assert [item["call_back_tag"] for item in listed["failed_list"]] == ["user_leave_org"]
    assert json.loads(listed["failed_list"][0]["data"])["UserId"] == ["ann"]
    assert oapi(emu, "/call_back/get_call_back_failed_result")["failed_list"] == []


def test_an_unreachable_callback_is_a_failed_push(make_dingtalk_emulator: Callable[..., Emulator]) -> None:
    emu = make_dingtalk_emulator(
        callback_url="http://127.0.0.1:9/nowhere", callback_token=TOKEN, callback_aes_key=AES_KEY
    )
    emu.push_event("check_url")
    assert emu.wait_for_pushes()
    assert emu.failed_pushes[0]["event"]["EventType"] == "check_url"


def test_push_payload_and_decrypt_reply_for_tests_posting_events(
    make_dingtalk_emulator: Callable[..., Emulator],
) -> None:
    emu = make_dingtalk_emulator(callback_token=TOKEN, callback_aes_key=AES_KEY)
    envelope = {"EventType": "user_leave_org", "CorpId": "dingcorp", "TimeStamp": "1", "UserId": ["ann"]}
    params, body = emu.push_payload(envelope)
    cipher = CallbackCipher(TOKEN, AES_KEY, "dingappkey")
    assert params["signature"] == cipher.signature(params["timestamp"], params["nonce"], body["encrypt"])
    assert json.loads(cipher.decrypt(body["encrypt"])[0]) == envelope
    encrypt = cipher.encrypt("success")
    reply = {
        "msg_signature": cipher.signature("2", "abc", encrypt),
        "timeStamp": "2",
        "nonce": "abc",
        "encrypt": encrypt,
    }
    assert emu.decrypt_reply(reply) == "success"


def test_dingtalk_side_departures_leave_a_record_and_an_event(dingtalk_emulator: Emulator) -> None:
    dingtalk_emulator.add_user(name="Ann", mobile="13800000001", userid="ann")
    dingtalk_emulator.leave("ann")
    assert dingtalk_emulator.leave_records[0]["leaveReason"] == "leave"
    assert dingtalk_emulator.events[-1]["EventType"] == "user_leave_org"
    assert "ann" not in dingtalk_emulator.users
