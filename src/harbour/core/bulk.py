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
        return ops.adapt_datefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.CharField | models.TextField | models.BooleanField | models.IntegerField):
        return lambda v: v
    return lambda v: field.get_db_prep_save(v, connection)


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 1000) -> None:
    """INSERT ``objs`` (all of one model, primary keys already set) in batches."""
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not (isinstance(f, models.AutoField))]
    now = timezone.now()
    stamp = [f for f in fields if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)]
    for obj in objs:
        for f in stamp:
            if f.auto_now or getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = connection.alias
    converters = [_converter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    attnames = [f.attname for f in fields]
    pairs = list(zip(attnames, converters, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            rows = [
                tuple(conv(getattr(obj, name)) for name, conv in pairs)
                for obj in objs[start : start + batch_size]
            ]
            cursor.executemany(sql, rows)
