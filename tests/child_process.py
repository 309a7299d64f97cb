"""The environment a child process (a CLI run, a worker) needs to use the test's own database."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_env() -> dict[str, str]:
    """``os.environ`` plus the settings module, the source path and a ``DATABASE_URL`` naming the database
    this test uses (only committed rows are visible to the child: use ``transaction=True`` tests)."""
    settings_db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "harbour.settings", "PYTHONPATH": str(ROOT / "src")}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings_db['USER']}@{settings_db['HOST'] or '127.0.0.1'}:"
            f"{settings_db['PORT'] or 5432}/{settings_db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{settings_db['NAME']}"
    return env
