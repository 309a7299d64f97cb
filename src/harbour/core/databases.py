"""Where a company's data lives: the shared database, or a dedicated one (a Premium feature).

The registry — companies, logins, the plan catalogue — is always in the ``default`` database. Everything a
company owns (``TenantOwned`` rows and its operation log) lives in the database its ``Tenant.database`` names.
Reads and writes find it three ways, all keyed by the company:

- ``for_tenant(tenant)`` querysets are pinned to the company's database (``core.tenancy``);
- ``TenantRouter`` routes saves and related lookups of a row by the row's own ``tenant_id``;
- ``tenant_atomic`` opens the action's transaction on the company's database (and on ``default``, whose rows
  an action may lock), so an action and its audit entry commit together wherever they live.

Dedicated databases are configured with ``HARBOUR_TENANT_DATABASES`` ("alias=URL alias2=URL2"); every
configured database carries the full schema (``harbour migrate`` migrates them all).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q

P = ParamSpec("P")
R = TypeVar("R")

# tenant id -> (database alias, alias it is moving to or ""). Filled from Tenant rows as they are loaded
# and cleared at the start of every request and task, so a move is seen by every process at once.
_placement: dict[uuid.UUID, tuple[str, str]] = {}
_in_use: list[str] | None = None


def tenant_databases() -> list[str]:
    """Every database that may hold company data: ``default`` first."""
    return [DEFAULT_DB_ALIAS, *getattr(settings, "HARBOUR_TENANT_DATABASES", {})]


def databases_in_use() -> list[str]:
    """The databases that hold some company's data now (``default`` first): what a search across all
    companies has to visit. Read from the registry once per request or task."""
    global _in_use
    if len(tenant_databases()) == 1:
        return [DEFAULT_DB_ALIAS]
    if _in_use is None:
        from harbour.core.models import Tenant

        placed = Tenant.objects.filter(~Q(database=DEFAULT_DB_ALIAS) | ~Q(database_moving_to=""))
        used = {alias for pair in placed.values_list("database", "database_moving_to") for alias in pair}
        _in_use = [a for a in tenant_databases() if a == DEFAULT_DB_ALIAS or a in used]
    return list(_in_use)


def remember(tenant: Any) -> None:
    _placement[tenant.pk] = (tenant.database or DEFAULT_DB_ALIAS, tenant.database_moving_to or "")


def forget_placements() -> None:
    global _in_use
    _placement.clear()
    _in_use = None


def _placement_of(tenant_id: uuid.UUID) -> tuple[str, str]:
    if tenant_id not in _placement:
        from harbour.core.models import Tenant

        row = Tenant.objects.filter(pk=tenant_id).values_list("database", "database_moving_to").first()
        _placement[tenant_id] = (row[0] or DEFAULT_DB_ALIAS, row[1] or "") if row else (DEFAULT_DB_ALIAS, "")
    return _placement[tenant_id]


def database_for(tenant: Any) -> str:
    """The alias of the database holding ``tenant``'s data (a ``Tenant`` or its id)."""
    if isinstance(tenant, uuid.UUID | str):
        return _placement_of(uuid.UUID(str(tenant)))[0]
    if getattr(tenant, "database", None) is not None and hasattr(tenant, "database_moving_to"):
        remember(tenant)
        return str(tenant.database or DEFAULT_DB_ALIAS)
    return _placement_of(tenant.pk)[0]


def is_moving(tenant_id: uuid.UUID) -> bool:
    return bool(_placement_of(tenant_id)[1])


def holds_tenant_data(model: type[models.Model]) -> bool:
    return bool(getattr(model, "lives_with_tenant", False))


class TenantRouter:
    """Route a company-owned row by its ``tenant_id``; the registry stays in ``default``."""

    def _route(self, model: type[models.Model], hints: dict[str, Any]) -> str | None:
        if not holds_tenant_data(model):
            # The registry is only ever read from default, even when reached from a company's row in a
            # dedicated database (which holds a bare copy of its registry row for its foreign keys).
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        tenant_id = getattr(instance, "tenant_id", None)
        if tenant_id is None:
            return None
        return database_for(tenant_id)

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return self._route(model, hints)

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return self._route(model, hints)

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        return True  # company rows refer to the registry (logins, plans) across databases by id

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return True  # every database carries the whole schema


@contextmanager
def tenant_transaction(tenant_id: uuid.UUID) -> Iterator[str]:
    """One transaction over the company's database (and ``default``): yields the company's alias."""
    alias = database_for(tenant_id)
    if is_moving(tenant_id):
        from django.utils.translation import gettext as _

        from harbour.core.errors import Conflict

        raise Conflict(
            _("the company's data is being moved to another database; try again in a few minutes"),
            field="database",
        )
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if alias == DEFAULT_DB_ALIAS:
            yield alias
        else:
            with transaction.atomic(using=alias):
                yield alias


def tenant_atomic(fn: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for actions whose first argument is the acting member or system actor."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = args[0] if args else kwargs.get("actor")
        tenant_id = getattr(actor, "tenant_id", None)
        if tenant_id is None:
            with transaction.atomic():
                return fn(*args, **kwargs)
        with tenant_transaction(tenant_id):
            return fn(*args, **kwargs)

    return run
