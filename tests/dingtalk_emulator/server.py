"""The HTTP server: one ThreadingHTTPServer on one port answers both hosts' paths (keep-alive HTTP/1.1)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.dingtalk_emulator.envelopes import Response
from tests.dingtalk_emulator.routing import Request

Dispatch = Callable[[Request], Response]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw_body=raw,
            client_ip=self.client_address[0],
        )
        response = self.server.dispatch(request)
        payload = response.encoded()
        self.send_response(response.status)
        content_type = response.content_type
        if content_type == "application/json":
            content_type += ";charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``Emulator.calls`` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dispatch: Dispatch):
        super().__init__(address, _Handler)
        self.dispatch = dispatch


class HttpServer:
    def __init__(self, dispatch: Dispatch):
        self._dispatch = dispatch
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, host: str, port: int) -> str:
        self._server = _Server((host, port), self._dispatch)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="dingtalk-emulator", daemon=True
        )
        self._thread.start()
        bound_host, bound_port = self._server.server_address[:2]
        return f"http://{bound_host!s}:{bound_port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None
