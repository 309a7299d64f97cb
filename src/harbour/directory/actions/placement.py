"""Moving a company's data between the shared database and a dedicated one (Premium).

The move is built to survive being interrupted at any point:

1. writes are paused (``Tenant.database_moving_to``; actions answer "try again in a few minutes") and the
   company's chain head is locked in the source, so writers already running finish first;
2. anything of the company already in the target (an earlier attempt) is removed;
3. every row is copied in one transaction on the target, then counted and fingerprinted against the source
   before that transaction commits — a mismatch rolls the copy back;
4. the registry switches ``Tenant.database`` to the target and writes resume;
5. the rows left in the source are deleted. Rows of a company found outside its home database are ignored by
   every reader (``core.tenancy.home_rows``) and removed by the next move.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.bulk import insert_rows
from harbour.core.databases import (
    forget_placements,
    holds_tenant_data,
    remember,
    tenant_databases,
    tenant_transaction,
)
from harbour.core.entitlements import Feature, require
from harbour.core.errors import Conflict, Invalid
from harbour.core.models import Tenant
from harbour.core.permissions import SystemActor

BATCH = 1000


@dataclass
class MoveReport:
    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def company_models() -> list[type[models.Model]]:
    """Every table that holds company data, in a stable order."""
    found = [m for m in apps.get_models() if holds_tenant_data(m) and not m._meta.proxy]
    return sorted(found, key=lambda m: m._meta.label)


def _rows(model: type[models.Model], alias: str, tenant_id: Any) -> models.QuerySet[Any]:
    return model._base_manager.using(alias).filter(tenant_id=tenant_id)


def _fingerprint(model: type[models.Model], alias: str, tenant_id: Any) -> tuple[int, str]:
    """Row count and a digest of the primary keys: equal on both sides means the same rows."""
    digest = hashlib.sha256()
    count = 0
    for pk in _rows(model, alias, tenant_id).order_by("pk").values_list("pk", flat=True).iterator(BATCH):
        digest.update(str(pk).encode())
        count += 1
    return count, digest.hexdigest()


def _delete_company_rows(alias: str, tenant_id: Any, *, registry_copy: bool) -> None:
    """Raw deletes (foreign keys are checked at commit): the operation log refuses model-level deletes."""
    from harbour.audit.models import DeletionPermit

    connection = connections[alias]
    key = tenant_id.hex if connection.vendor == "sqlite" else tenant_id
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # The log's append-only trigger lets its rows go only with a permit held in this transaction.
        permit = DeletionPermit.objects.using(alias).create(tenant_id=tenant_id, reason="database move")
        for model in company_models():
            if model is DeletionPermit:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name("tenant_id")  # every company table names its company so
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [key])  # noqa: S608 - model names
        DeletionPermit.objects.using(alias).filter(tenant_id=tenant_id).exclude(pk=permit.pk).delete()
        permit.delete(using=alias)
        if registry_copy:
            registry = connection.ops.quote_name(Tenant._meta.db_table)
            cursor.execute(f"DELETE FROM {registry} WHERE id = %s", [key])  # noqa: S608 - model name


def purge_leftovers(tenant: Tenant) -> None:
    """Remove the company's rows from every database but its home (the remains of an interrupted move)."""
    for alias in tenant_databases():
        if alias != tenant.database:
            _delete_company_rows(alias, tenant.pk, registry_copy=alias != DEFAULT_DB_ALIAS)


def _copy(tenant: Tenant, source: str, target: str, progress: Callable[[int], None] | None) -> dict[str, int]:
    copied: dict[str, int] = {}
    if target != DEFAULT_DB_ALIAS and not Tenant.objects.using(target).filter(pk=tenant.pk).exists():
        # The company's registry row, so its rows' tenant references hold inside the dedicated database.
        names = [f.attname for f in Tenant._meta.concrete_fields]
        row = dict(Tenant.objects.filter(pk=tenant.pk).values(*names).get())
        row["operator_id"] = None  # logins stay in the registry
        insert_rows(Tenant, [row], using=target)
    for model in company_models():
        names = [f.attname for f in model._meta.concrete_fields]
        batch: list[dict[str, Any]] = []
        count = 0
        for row in _rows(model, source, tenant.pk).order_by("pk").values(*names).iterator(BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                insert_rows(model, batch, using=target)
                count += len(batch)
                if progress is not None:
                    progress(len(batch))
                batch = []
        if batch:
            insert_rows(model, batch, using=target)
            count += len(batch)
            if progress is not None:
                progress(len(batch))
        copied[model._meta.label] = count
    for model in company_models():
        if _fingerprint(model, source, tenant.pk) != _fingerprint(model, target, tenant.pk):
            raise Conflict(
                _("the copy of %(table)s does not match its source; nothing was moved")
                % {"table": model._meta.label},
                field="database",
            )
    return copied


def count_company_rows(tenant: Tenant, alias: str | None = None) -> int:
    alias = alias or tenant.database
    return sum(_rows(m, alias, tenant.pk).count() for m in company_models())


def move_company_data(
    tenant: Tenant, target: str, *, by: str = "harbour cli", progress: Callable[[int], None] | None = None
) -> MoveReport:
    """Move every row of ``tenant`` to the database ``target`` (an alias of ``tenant_databases()``)."""
    tenant = Tenant.objects.get(pk=tenant.pk)
    if target not in tenant_databases():
        raise Invalid(
            _("no database %(alias)s is configured (HARBOUR_TENANT_DATABASES)") % {"alias": target},
            field="database",
        )
    source = tenant.database
    if target == source:
        purge_leftovers(tenant)
        raise Conflict(_("the company's data is already in %(alias)s") % {"alias": target}, field="database")
    if target != DEFAULT_DB_ALIAS:
        require(tenant, Feature.DEDICATED_DATABASE)

    Tenant.objects.filter(pk=tenant.pk).update(database_moving_to=target)
    forget_placements()
    remember(Tenant.objects.get(pk=tenant.pk))
    try:
        with transaction.atomic(using=source):
            # Writers lock the chain head while they run: taking it waits for them to finish.
            from harbour.audit.models import AuditChainHead

            AuditChainHead.objects.using(source).select_for_update().filter(tenant_id=tenant.pk).first()
            with transaction.atomic(using=target):
                _delete_company_rows(target, tenant.pk, registry_copy=False)
                copied = _copy(tenant, source, target, progress)
        Tenant.objects.filter(pk=tenant.pk).update(database=target, database_moving_to="")
    except BaseException:
        Tenant.objects.filter(pk=tenant.pk).update(database_moving_to="")
        forget_placements()
        raise
    forget_placements()
    tenant = Tenant.objects.get(pk=tenant.pk)
    remember(tenant)
    _delete_company_rows(source, tenant.pk, registry_copy=source != DEFAULT_DB_ALIAS)
    report = MoveReport(source=source, target=target, rows=copied)
    with tenant_transaction(tenant.pk):
        record(
            SystemActor(tenant.pk, by),
            "tenant.database_moved",
            target=tenant,
            before={"database": source},
            after={"database": target},
            rows=report.total,
        )
    return report
