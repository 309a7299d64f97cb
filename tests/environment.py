"""Test environment, set before Django reads its settings (a pytest plugin: ``-p tests.environment``).

The suite keeps its data apart from a developer's ``.harbour``, and configures a second database for the
dedicated-database tests: a second SQLite file, or a second PostgreSQL database beside the one DATABASE_URL
names (the test runner creates and drops both).
"""

from __future__ import annotations

import os

os.environ.setdefault("HARBOUR_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", ".harbour-test"))


def _dedicated_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, _slash, name = url.rpartition("/")
        name, _q, query = name.partition("?")
        return f"{base}/{name}_dedicated" + (f"?{query}" if query else "")
    return "sqlite:///" + os.path.abspath(os.path.join(os.environ["HARBOUR_DATA_DIR"], "dedicated.sqlite3"))


os.environ.setdefault("HARBOUR_TENANT_DATABASES", f"dedicated={_dedicated_database_url()}")
