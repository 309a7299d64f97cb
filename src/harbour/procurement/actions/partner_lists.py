"""Importing DingTalk's official partner list: every import is kept with its publication date, who
imported it and its rows; a single bad row refuses the whole list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from harbour.audit.actions import record
from harbour.core.databases import tenant_atomic
from harbour.core.errors import Invalid
from harbour.core.permissions import Actor
from harbour.directory.validation import clean_text
from harbour.procurement.actions.guards import require_manage
from harbour.procurement.models import PartnerList, PartnerListEntry
from harbour.procurement.partner_rows import rows_from_csv, rows_from_json
from harbour.procurement.validation import clean_past_date


@tenant_atomic
def import_partner_list(
    actor: Actor,
    *,
    published_on: dt.date | None,
    rows: Sequence[Mapping[str, Any]] | None = None,
    csv_text: str | None = None,
    source: str = "",
) -> PartnerList:
    """``published_on`` is the day DingTalk published the list (the checklist's freshness rule reads it);
    the rows come either as JSON objects or as CSV text, not both."""
    require_manage(actor)
    published_on = clean_past_date(published_on, field="published_on")
    source = clean_text(source, field="source", max_length=200)
    if (rows is None) == (csv_text is None):
        raise Invalid(_("send the list either as rows or as CSV text"), field="rows")
    parsed = rows_from_csv(csv_text) if csv_text is not None else rows_from_json(rows or [])
    partner_list = PartnerList.objects.create(
        tenant_id=actor.tenant_id,
        published_on=published_on,
        imported_by_id=actor.actor_id,
        imported_by_label=actor.actor_label[:200],
        source=source or (_("CSV text") if csv_text is not None else _("JSON rows")),
        row_count=len(parsed),
    )
    PartnerListEntry.objects.bulk_create(
        [
            PartnerListEntry(
                tenant_id=actor.tenant_id,
                partner_list=partner_list,
                line=row.line,
                name=row.name,
                br_number=row.br_number,
                region=row.region,
                name_key=row.name_key[:200],
                br_key=row.br_key,
            )
            for row in parsed
        ],
        batch_size=1000,
    )
    record(actor, "partner_list.imported", target=partner_list, after=partner_list.snapshot())
    return partner_list
