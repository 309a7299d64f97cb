"""Command line of the test OpenID Connect provider; see the package docstring."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from socketserver import ThreadingMixIn
from types import FrameType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import ISSUER_PATH


class _ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.idp.oidc_provider", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", default=[], dest="redirect_uris")
    parser.add_argument("--users", type=Path, help="JSON list of {email, password, name, email_verified}")
    parser.add_argument(
        "--claim", action="append", default=[], metavar="NAME=VALUE", help="a claim every user gets"
    )
    parser.add_argument("--admin-token", default=os.environ.get("OIDC_IDP_ADMIN_TOKEN", ""))
    parser.add_argument("--exit-with-parent", action="store_true", help="stop when the parent process ends")
    return parser.parse_args(argv)


def _watch_parent(data_dir: str) -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        shutil.rmtree(data_dir, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _starting(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    claims = dict(claim.partition("=")[::2] for claim in args.claim)
    signal.signal(signal.SIGTERM, _stop)

    server = make_server(
        "127.0.0.1", args.port, _starting, server_class=_ThreadedServer, handler_class=_QuietHandler
    )
    base_url = f"http://127.0.0.1:{server.server_port}"
    data_dir = tempfile.mkdtemp(prefix="oidc-idp-")
    if args.exit_with_parent:
        _watch_parent(data_dir)
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.oidc_provider.settings"
        os.environ["OIDC_IDP_DATA_DIR"] = data_dir
        os.environ["OIDC_IDP_ISSUER"] = base_url + ISSUER_PATH
        os.environ["OIDC_IDP_EXTRA_CLAIMS"] = json.dumps(claims)
        os.environ["OIDC_IDP_ADMIN_TOKEN"] = args.admin_token

        import django

        django.setup()
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        from . import accounts

        call_command("migrate", run_syncdb=True, verbosity=0)
        accounts.register_client(args.client_id, args.client_secret, args.redirect_uris)
        if args.users:
            for entry in json.loads(args.users.read_text()):
                accounts.upsert_user(entry)

        server.set_app(get_wsgi_application())
        print(f"listening on {base_url}", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
