"""Fast multi-row INSERT for bulk actions (imports, seeding).

Django's ``bulk_create`` compiles one giant statement per batch, which costs more than the database's own work
for wide rows. Here each column's Python→database conversion is chosen once per call and rows go through the
driver's ``executemany``. Only plain concrete fields are supported; the caller has already validated the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from harbour.core.ids import new_ids


def _json_converter(
    field: models.JSONField[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    if field.encoder is not None:  # a custom encoder decides the text: keep Django's path
        return lambda v: field.get_db_prep_save(v, connection)
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda v: None if v is None else Jsonb(v, dumps=_orjson_text)
    return lambda v: None if v is None else _orjson_text(v)


def _orjson_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _converter(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the driver; None when it goes as it is."""
    ops = connection.ops
    if isinstance(field, models.UUIDField) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.UUIDField)
    ):
        if connection.vendor == "sqlite":
            return lambda v: v.hex if isinstance(v, uuid.UUID) else v
        return None
    if isinstance(field, models.DateTimeField):
        # Bulk rows mostly share one timestamp: adapt each distinct value once.
        adapted: dict[Any, Any] = {}

        def adapt(value: Any) -> Any:
            if value not in adapted:
                adapted[value] = ops.adapt_datetimefield_value(value)
            return adapted[value]

        return adapt
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return _json_converter(field, connection)
    if isinstance(field, models.CharField | models.TextField | models.BooleanField | models.IntegerField):
        return None
    return lambda v: field.get_db_prep_save(v, connection)


def _insert(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    rows: Sequence[tuple[Any, ...]],
    batch_size: int,
) -> None:
    table = connection.ops.quote_name(str(model._meta.db_table))
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


def _insertable(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def _stamped(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)


def _column(
    connection: BaseDatabaseWrapper,
    field: models.Field[Any, Any],
    rows: Sequence[dict[str, Any]],
    present: bool,
    now: Any,
) -> list[Any]:
    """One column's values for every row, converted for the driver."""
    if present:
        values = [row[field.attname] for row in rows]
    elif _stamped(field):
        values = [now] * len(rows)
    elif field.primary_key and field.default is uuid.uuid4:  # bulk rows get time-ordered keys
        values = new_ids(len(rows))
    elif callable(field.default):  # a fresh value per row
        values = [field.get_default() for _ in rows]
    else:
        values = [field.get_default()] * len(rows)
    convert = _converter(field, connection)
    return values if convert is None else list(map(convert, values))


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    batch_size: int = 1000,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """INSERT plain rows (keys are attribute names, e.g. ``member_id``) without building model instances.

    Every row has the same keys. Missing keys take the field default; ``auto_now``/``auto_now_add``
    timestamps default to now. Values are gathered and converted column by column.
    """
    if not rows:
        return
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):
        raise ValueError("insert_rows needs every row to have the same keys")
    fields = _insertable(model)
    unknown = set(keys) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    now = timezone.now()
    connection = connections[using]
    columns = [_column(connection, f, rows, f.attname in keys, now) for f in fields]
    _insert(connection, model, fields, list(zip(*columns, strict=True)), batch_size)


def refresh_statistics(*models_: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """Tell the query planner about a bulk load at once.

    Without fresh statistics PostgreSQL plans for the old, small table until autovacuum catches up, and
    SQLite never gathers any; either may then scan a whole tenant for a page of 50. SQLite samples a
    bounded number of rows per index so this stays cheap at any size.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [quote(str(m._meta.db_table)) for m in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def update_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    batch_size: int = 1000,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """UPDATE rows by primary key: each row is ``{"pk": …, attname: value, …}`` with the same keys.

    Django's ``bulk_update`` builds one CASE expression per column per batch, which costs far more than
    the database's work; here one statement goes through ``executemany``. ``updated_at`` is stamped when
    the model has it and the rows do not set it.
    """
    if not rows:
        return
    keys = [k for k in rows[0] if k != "pk"]
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("update_rows needs every row to have the same keys")
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(keys) - set(by_attname)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    connection = connections[using]
    now = timezone.now()
    stamp = "updated_at" in by_attname and "updated_at" not in keys and _stamped(by_attname["updated_at"])
    fields = [by_attname[k] for k in keys] + ([by_attname["updated_at"]] if stamp else [])
    pk = model._meta.pk
    assert pk is not None
    columns = [_column(connection, f, rows, f.attname in keys, now) for f in fields] + [
        _column(connection, pk, [{pk.attname: row["pk"]} for row in rows], True, now)
    ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    sql = f"UPDATE {quote(str(model._meta.db_table))} SET {assignments} WHERE {quote(str(pk.column))} = %s"  # noqa: S608
    values = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(values), batch_size):
            cursor.executemany(sql, values[start : start + batch_size])
