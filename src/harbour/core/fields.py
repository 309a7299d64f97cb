"""Model fields shared by apps."""

from __future__ import annotations

from typing import Any

from django.db import models

from harbour.core.sealing import seal, unseal


class SealedCharField(models.CharField):
    """A string kept sealed in the database (``core.sealing``) and plain in Python. Not for lookups."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return unseal(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return seal(value) if isinstance(value, str) else value
