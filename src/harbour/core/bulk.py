"""Fast multi-row INSERT for bulk actions (imports, seeding).

Django's ``bulk_create`` compiles one giant statement per batch, which costs more than the database's own work
for wide rows. Here each column's Python→database conversion is chosen once per call and rows go through the
driver's ``executemany``. Only plain concrete fields are supported; the caller has already validated the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.UUIDField) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.UUIDField)
    ):
        if connection.vendor == "sqlite":
            return lambda v: v.hex if isinstance(v, uuid.UUID) else v
        return lambda v: v
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
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.CharField | models.TextField | models.BooleanField | models.IntegerField):
        return lambda v: v
    return lambda v: field.get_db_prep_save(v, connection)


def _insert(
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


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 1000) -> None:
    """INSERT plain rows (keys are attribute names, e.g. ``member_id``) without building model instances.

    Missing keys take the field default; ``auto_now``/``auto_now_add`` timestamps default to now.
    """
    if not rows:
        return
    fields = _insertable(model)
    now = timezone.now()
    plan: list[tuple[str, Callable[[Any], Any], Callable[[], Any]]] = []
    for f in fields:
        fallback: Callable[[], Any] = (lambda: now) if _stamped(f) else f.get_default
        plan.append((f.attname, _converter(f), fallback))
    prepared = [
        tuple(conv(row[name]) if name in row else conv(fallback()) for name, conv, fallback in plan)
        for row in rows
    ]
    _insert(model, fields, prepared, batch_size)
