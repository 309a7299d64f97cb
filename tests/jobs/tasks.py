"""Tasks the jobs tests enqueue: module-level, as the Tasks framework requires."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django_tasks import task

FIXED: set[str] = set()  # keys whose "upstream service" is back: fail_until_fixed succeeds for them
RUNS: Counter[str] = Counter()
_lock = threading.Lock()


@task()
def add(a: int, b: int, tenant_id: str | None = None) -> int:
    return a + b


@task()
def fail_until_fixed(tenant_id: str | None = None, key: str = "") -> str:
    if key not in FIXED:
        raise RuntimeError(f"the upstream service is down ({key})")
    return "done"


@task()
def count_run(key: str) -> int:
    """Counts its runs, slowly enough that two workers would overlap if both took the same run."""
    time.sleep(0.01)
    with _lock:
        RUNS[key] += 1
        return RUNS[key]
