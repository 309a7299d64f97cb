"""Personal data of policies a retention schedule may erase: the network address and browser kept with an
acknowledgement. The acknowledgement itself (who, which version, when) stays as evidence; only these two
fields are cleared once the period has run."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from harbour.core.erasure import ErasableCategory
from harbour.core.time import HONG_KONG
from harbour.policies.models import Acknowledgement


def _with_network_data(tenant_id: uuid.UUID) -> Any:
    return Acknowledgement.objects.for_tenant(tenant_id).filter(~Q(ip_address=None) | ~Q(user_agent=""))


def find_due(tenant_id: uuid.UUID, today: dt.date, days: int) -> Sequence[Any]:
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, tzinfo=HONG_KONG)
    return list(_with_network_data(tenant_id).filter(acknowledged_at__lt=cutoff).values_list("pk", flat=True))


def erase(tenant_id: uuid.UUID, ids: Sequence[Any]) -> int:
    # A queryset update: the acknowledgement row is otherwise never changed (its model refuses saves).
    return int(_with_network_data(tenant_id).filter(pk__in=list(ids)).update(ip_address=None, user_agent=""))


ACKNOWLEDGEMENT_NETWORK_DATA = ErasableCategory(
    code="policy_acknowledgement_network",
    label=_("Network address and browser of policy acknowledgements"),
    default_days=3 * 365,
    basis=_("from the acknowledgement"),
    find_due=find_due,
    erase=erase,
)
