"""The tenant-owned base model and the manager that refuses unscoped queries.

Every tenant-owned row is read through ``Model.objects.for_tenant(tenant)`` (or a related manager
hanging off an already scoped row). Evaluating a queryset that never chose a tenant raises
``UnscopedQuery`` so a forgotten filter fails loudly in tests instead of leaking rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models

from harbour.core.databases import database_for, databases_in_use
from harbour.core.errors import UnscopedQuery

if TYPE_CHECKING:
    from harbour.core.models import Tenant

T = TypeVar("T")

_SINGLE_TENANT_KEYS = ("tenant_id", "tenant", "tenant__pk", "tenant__id")
_TENANT_KEYS = {"tenant", "tenant_id", "tenant__in", "tenant_id__in", "tenant__pk", "tenant__id"}


def attname(model: type[models.Model], name: str) -> str:
    """``manager`` → ``manager_id`` for foreign keys, the name itself otherwise."""
    field = model._meta.get_field(name)
    return getattr(field, "attname", name)


_PLAIN = (str, int, bool, float, type(None))


def jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: nothing to convert (checked first, it is the cheapest test)
        return value
    if isinstance(value, uuid.UUID | Decimal):  # money keeps every cent as a string
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot_values(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready audit snapshot of ``values`` keyed by field name (a model's ``audit_fields``)."""
    return {name: jsonable(value) for name, value in values.items()}


class TenantQuerySet(models.QuerySet):
    _tenant_scoped: bool = False

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def _mark_scoped(self) -> Self:
        self._tenant_scoped = True
        return self

    def for_tenant(self, tenant: Tenant | uuid.UUID) -> Self:
        """The company's rows, read from the database that holds them (``core.databases``)."""
        if not isinstance(tenant, uuid.UUID):
            database_for(tenant)  # a loaded Tenant tells where it lives: no lookup needed
            tenant = tenant.pk
        return self.filter(tenant_id=tenant)

    def _pinned_to(self, alias: str) -> Self:
        return self if getattr(self, "_db", None) is not None else self.using(alias)

    def _with_tenant(self) -> bool:
        """Does this table live in each company's database? (Registry tables stay in the default one.)"""
        return bool(getattr(self.model, "lives_with_tenant", False))

    def _routed(self, values: dict[str, Any]) -> Self:
        tenant = values.get("tenant", values.get("tenant_id"))
        if tenant is None or getattr(self, "_db", None) is not None or not self._with_tenant():
            return self
        return self.using(database_for(tenant))

    def create(self, **kwargs: Any) -> Any:
        return models.QuerySet.create(self._routed(kwargs), **kwargs)

    def get_or_create(self, defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        return models.QuerySet.get_or_create(self._routed(kwargs), defaults=defaults, **kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        qs = self._routed({"tenant_id": objs[0].tenant_id}) if objs else self
        return models.QuerySet.bulk_create(qs, objs, *args, **kwargs)

    def across_tenants(self) -> Self:
        """Deliberately search all tenants. Only for lookups by an unguessable capability (the hash of an
        invitation or API token), where the capability itself identifies the tenant."""
        return self._clone()._mark_scoped()

    def filter(self, *args: Any, **kwargs: Any) -> Self:
        clone = super().filter(*args, **kwargs)
        if _TENANT_KEYS.intersection(kwargs):
            clone._tenant_scoped = True
            single = next((kwargs[k] for k in _SINGLE_TENANT_KEYS if kwargs.get(k) is not None), None)
            if single is not None and self._with_tenant():
                clone = clone._pinned_to(database_for(single))
        return clone

    def _require_scope(self) -> None:
        if not self._tenant_scoped:
            raise UnscopedQuery(
                f"{self.model.__name__} rows must be read inside a tenant: use .for_tenant(tenant)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is None:
            self._require_scope()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._require_scope()
        return super().exists()

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._require_scope()
        return super().iterator(chunk_size=chunk_size)

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._require_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        return super().delete()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of tenant-owned models.

    Related managers (``department.memberships``) are subclasses of this one bound to an instance that
    is itself tenant-owned, so their querysets count as scoped.
    """

    def get_queryset(self) -> TenantQuerySet:
        qs: TenantQuerySet = super().get_queryset()
        if getattr(self, "instance", None) is not None:
            qs._mark_scoped()
        return qs

    def for_tenant(self, tenant: Tenant | uuid.UUID) -> TenantQuerySet:
        return self.get_queryset().for_tenant(tenant)

    def across_tenants(self) -> TenantQuerySet:
        return self.get_queryset().across_tenants()

    def in_every_database(self) -> Iterator[TenantQuerySet]:
        """``across_tenants`` once per database that may hold company data (see ``home_rows``)."""
        for alias in databases_in_use():
            yield self.across_tenants().using(alias)


def home_rows(rows: Iterable[T]) -> list[T]:
    """Rows read from their company's own database. A row found elsewhere is a leftover of an interrupted move
    between databases, and is not the company's data."""
    return [row for row in rows if database_for(row.tenant_id) == row._state.db]  # type: ignore[attr-defined]


class TenantOwned(models.Model):
    """Base of every tenant-owned table: UUID public id, tenant FK, timestamps, scoped manager."""

    lives_with_tenant = True  # stored in the company's database (core.databases)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("core.Tenant", on_delete=models.CASCADE, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    audit_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit event keeps as before/after, JSON-ready (foreign keys as ids, no queries)."""
        model = type(self)
        return snapshot_values({name: getattr(self, attname(model, name)) for name in self.audit_fields})

    # Permission target protocol (see core.permissions): tenant-level by default.
    def permission_paths(self) -> tuple[str, ...]:
        return ()

    def owner_id(self) -> uuid.UUID | None:
        return None
