"""HR feeds leave personal data behind them: each import's plan items copy the records of the file, and each
source link keeps the record as last seen. Two erasable categories let a retention schedule clear them.

- ``hr_import_history``: the items of applied imports (default 2 years after the import finished). The
  run stays, with its counts, as the record that the import happened.
- ``hr_links_of_leavers``: the links of accounts deactivated long ago (default 7 years, HR-FORMER-7Y). The
  link stays so the operation log reads, but its record, fingerprint and the HR system's key are blanked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from harbour.core.erasure import ErasableCategory, register_category
from harbour.core.time import HONG_KONG, now
from harbour.directory.models import MemberState
from harbour.lifecycle.leavers import RETENTION_YEARS
from harbour.lifecycle.models import SourceLink, SyncItem, SyncRun

IMPORT_HISTORY = "hr_import_history"
LINKS_OF_LEAVERS = "hr_links_of_leavers"


def _cutoff(today: dt.date, days: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days), dt.time(0, 0), tzinfo=HONG_KONG)


def imports_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> Sequence[Any]:
    """Applied imports that finished before the cut-off and still hold items (none waiting for a person)."""
    items = SyncItem.objects.for_tenant(tenant_id).filter(run=OuterRef("pk"))
    waiting = items.filter(outcome=SyncItem.Outcome.WAITING)
    return list(
        SyncRun.objects.for_tenant(tenant_id)
        .filter(state=SyncRun.State.APPLIED, finished_at__lt=_cutoff(today, days))
        .filter(Exists(items))
        .exclude(Exists(waiting))
        .values_list("pk", flat=True)
    )


def erase_imports(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    runs = list(SyncRun.objects.for_tenant(tenant_id).filter(pk__in=list(ids)).values_list("pk", flat=True))
    SyncItem.objects.for_tenant(tenant_id).filter(run_id__in=runs).delete()
    return len(runs)


def links_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> Sequence[Any]:
    """Links, still holding a record, of accounts deactivated before the cut-off."""
    return list(
        SourceLink.objects.for_tenant(tenant_id)
        .filter(member__state=MemberState.DEACTIVATED, member__state_changed_at__lt=_cutoff(today, days))
        .exclude(record={})
        .values_list("pk", flat=True)
    )


def erase_links(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    links = list(SourceLink.objects.for_tenant(tenant_id).filter(pk__in=list(ids)))
    for link in links:  # the key is the HR system's employee number or address: replaced, unique per link
        SourceLink.objects.for_tenant(tenant_id).filter(pk=link.pk).update(
            external_id=f"erased:{link.pk.hex}", record={}, fingerprint="", reason="", updated_at=now()
        )
    return len(links)


def register_categories() -> None:
    register_category(
        ErasableCategory(
            code=IMPORT_HISTORY,
            label=_("HR import history"),
            default_days=2 * 365,
            basis=_("from when the import finished"),
            find_due=imports_due,
            erase=erase_imports,
        )
    )
    register_category(
        ErasableCategory(
            code=LINKS_OF_LEAVERS,
            label=_("HR records kept on leavers' source links"),
            default_days=RETENTION_YEARS * 365 + 2,
            basis=_("from the account's deactivation"),
            find_due=links_due,
            erase=erase_links,
            rule_ids=("PDPO-DPP2-RETENTION", "HR-FORMER-7Y"),
        )
    )
