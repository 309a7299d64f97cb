"""The baseline "raw bulk insert of the same rows": every row an operation left in the database, taken
out again and put back with plain ``executemany`` INSERTs in one transaction.

``snapshot()`` notes the primary keys of every table before the operation; ``harvest(before)`` reads the
rows added since (each column as the database stores it: text on PostgreSQL, so no Python type gets in
the way); ``remove(rows)`` deletes them; ``timed_insert(rows)`` puts the identical rows back and answers the
seconds taken. Afterwards the database holds what the operation produced, so later steps carry on as if
nothing happened. Rows the operation *updated* (a run's state, a seat counter) are not part of the
baseline: it is the cost of writing the new rows, with their indexes and constraints, and nothing else.
"""

from __future__ import annotations

import time
from typing import Any

Rows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]  # table → (columns, rows)


def _tables() -> list[tuple[str, str]]:
    """(table, primary-key column) of every model table, including many-to-many tables."""
    from django.apps import apps

    seen: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.pk is not None:
            seen.setdefault(str(meta.db_table), str(meta.pk.column))
    return sorted(seen.items())


def _existing_tables() -> set[str]:
    from django.db import connection

    return set(connection.introspection.table_names())


def snapshot() -> dict[str, set[Any]]:
    from django.db import connection

    present = _existing_tables()
    keys: dict[str, set[Any]] = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            if table in present:
                cursor.execute(f'SELECT "{pk}" FROM "{table}"')
                keys[table] = {row[0] for row in cursor.fetchall()}
    return keys


def harvest(before: dict[str, set[Any]]) -> Rows:
    from django.db import connection

    found: Rows = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            if table not in before:
                continue
            cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
            columns = [c[0] for c in cursor.description]
            if connection.vendor == "postgresql":  # text form: the server casts it back on insert
                select = ", ".join(f'"{c}"::text' for c in columns)
                key = f'"{pk}"::text'
                old = {str(k) for k in before[table]}
            else:
                select, key, old = ", ".join(f'"{c}"' for c in columns), f'"{pk}"', before[table]
            cursor.execute(f'SELECT {key}, {select} FROM "{table}"')
            rows = [tuple(row[1:]) for row in cursor.fetchall() if row[0] not in old]
            if rows:
                found[table] = (columns, rows)
    return found


def count(rows: Rows) -> int:
    return sum(len(r) for _c, r in rows.values())


def remove(rows: Rows) -> None:
    """Delete the harvested rows (the operation log's append-only guard is lifted for this on PostgreSQL)."""
    from django.db import connection, transaction

    pks = dict(_tables())
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        for table, (columns, table_rows) in rows.items():
            index = columns.index(pks[table])
            keys = [row[index] for row in table_rows]
            cast = "::uuid" if connection.vendor == "postgresql" and _looks_uuid(keys[0]) else ""
            for start in range(0, len(keys), 1000):
                chunk = keys[start : start + 1000]
                marks = ", ".join([f"%s{cast}"] * len(chunk))
                cursor.execute(f'DELETE FROM "{table}" WHERE "{pks[table]}" IN ({marks})', chunk)


def _looks_uuid(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 36 and value.count("-") == 4


def timed_insert(rows: Rows, batch: int = 1000) -> float:
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, table_rows) in rows.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            for chunk in range(0, len(table_rows), batch):
                cursor.executemany(sql, table_rows[chunk : chunk + batch])
    return time.perf_counter() - start
