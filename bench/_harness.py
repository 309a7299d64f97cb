"""Shared bench plumbing: run a measurement in a fresh database (SQLite file or new PostgreSQL database),
time things, and print the closing ``BENCH {json}`` line."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_available(url: str = DEFAULT_PG) -> bool:
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def fresh_database(kind: str, pg_url: str = DEFAULT_PG) -> Iterator[dict[str, str]]:
    """Environment for a child process pointing at a brand-new database, removed afterwards."""
    data_dir = tempfile.mkdtemp(prefix="harbour-bench-")
    env = {"HARBOUR_DATA_DIR": data_dir}
    if kind == "sqlite":
        yield env
        return
    import psycopg

    name = f"harbour_bench_{uuid.uuid4().hex[:10]}"
    admin = pg_url.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_url.rsplit("/", 1)[0]
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(script: Path, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``script --child ...`` with ``env``; its last stdout line is a JSON result."""
    full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "harbour.settings"}
    proc = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(proc.stderr[-4000:] if proc.returncode else "")
    if proc.returncode != 0:
        raise SystemExit(f"child run failed ({proc.returncode})")
    for line in proc.stdout.splitlines():
        if not line.startswith("RESULT "):
            print(line)
    result_lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    return dict(json.loads(result_lines[-1][len("RESULT ") :]))


def run_on_each_database(
    script: Path, child_args: list[str], pg_url: str = DEFAULT_PG
) -> list[dict[str, Any]]:
    """Run the measuring child once on a fresh SQLite database and, when reachable, a fresh PostgreSQL one."""
    kinds = ["sqlite"] + (["postgresql"] if postgres_available(pg_url) else [])
    results = []
    for kind in kinds:
        with fresh_database(kind, pg_url) as env:
            results.append(run_child(script, child_args, env))
    return results


def child_setup() -> None:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def figure(
    name: str, value: float, target: float, *, lower_is_better: bool = True, unit: str = ""
) -> dict[str, Any]:
    met = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 6), "target": target, "unit": unit, "met": met}


def info(name: str, value: float, *, unit: str = "") -> dict[str, Any]:
    """A figure printed for context (a baseline, a cost without a target): never "not met"."""
    return {"name": name, "value": round(value, 3), "target": None, "unit": unit, "met": True}


def report(figures: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> None:
    for f in figures:
        mark = "met" if f["met"] else "NOT met"
        print(f"  {f['name']:<58} {f['value']:>12} {f['unit']:<4} target {f['target']} ({mark})")
    payload = {"figures": figures, **(extra or {})}
    print("BENCH " + json.dumps(payload, ensure_ascii=False))
