"""Events on directory mutations (reference §9): every envelope is kept in ``events``; when a callback URL is
set, a background thread pushes it encrypted and expects an encrypted "success", recording anything else as a
failed push (served later by ``/call_back/get_call_back_failed_result``)."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.dingtalk_emulator.crypto import CallbackCipher, CryptoError


class EventBus:
    def __init__(self, *, corp_id: str, owner_key: str, clock: Callable[[], float]):
        self.corp_id = corp_id
        self.owner_key = owner_key
        self.clock = clock
        self.events: list[dict[str, Any]] = []
        self.failed_pushes: list[dict[str, Any]] = []
        self._unserved_failures: list[dict[str, Any]] = []
        self.callback_url: str | None = None
        self.cipher: CallbackCipher | None = None
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def configure(self, url: str | None, token: str | None, aes_key: str | None) -> None:
        self.callback_url = url
        self.cipher = CallbackCipher(token, aes_key, self.owner_key) if token and aes_key else None

    def envelope(self, event_type: str, **fields: Any) -> dict[str, Any]:
        return {
            "EventType": event_type,
            "CorpId": self.corp_id,
            "TimeStamp": str(int(self.clock() * 1000)),
            **fields,
        }

    def emit(self, event_type: str, **fields: Any) -> dict[str, Any]:
        envelope = self.envelope(event_type, **fields)
        self.publish(envelope)
        return envelope

    def publish(self, envelope: dict[str, Any]) -> None:
        self.events.append(envelope)
        if self.callback_url and self.cipher:
            self._ensure_worker()
            self._queue.put(envelope)

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="dingtalk-emulator-push", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as http:
            while True:
                envelope = self._queue.get()
                try:
                    if envelope is None:
                        return
                    self._push(http, envelope)
                finally:
                    self._queue.task_done()

    def _push(self, http: httpx.Client, envelope: dict[str, Any]) -> None:
        url, cipher = self.callback_url, self.cipher
        if not url or cipher is None:
            return
        params, body = cipher.seal(envelope)
        try:
            response = http.post(url, params=params, json=body)
            reply = response.json() if response.status_code == 200 else None
            if reply is None:
                raise CryptoError(f"HTTP {response.status_code}")
            text = cipher.open_reply(reply)
            if text != "success":
                raise CryptoError(f"the reply says {text!r}")
        except (httpx.HTTPError, ValueError, CryptoError) as error:
            failure = {"event": envelope, "reason": str(error) or type(error).__name__, "at": time.time()}
            with self._lock:
                self.failed_pushes.append(failure)
                self._unserved_failures.append(failure)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued push has been attempted (True) or the timeout passed (False)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def take_failures(self, limit: int = 200) -> tuple[list[dict[str, Any]], bool]:
        """The oldest unserved failed pushes, in the shape of ``get_call_back_failed_result``, and
        has_more."""
        with self._lock:
            served, self._unserved_failures = self._unserved_failures[:limit], self._unserved_failures[limit:]
            more = bool(self._unserved_failures)
        items = [
            {
                "call_back_tag": f["event"]["EventType"],
                "event_time": int(f["event"]["TimeStamp"]),
                "data": json.dumps(f["event"], ensure_ascii=False),
            }
            for f in served
        ]
        return items, more

    def stop(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            self._queue.put(None)
            self._worker.join(timeout=5)
        self._worker = None

    def clear(self) -> None:
        self.events.clear()
        with self._lock:
            self.failed_pushes.clear()
            self._unserved_failures.clear()
