"""What applying a run carries from item to item (the actor, the run, one DingTalk client and its call
counts), and how an item's outcome is recorded: in one transaction with the links it made true."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from harbour.core.databases import tenant_transaction
from harbour.core.permissions import Actor
from harbour.core.time import now
from harbour.integrations.dingtalk.client import DingTalkClient
from harbour.integrations.dingtalk.models import Connection, SyncItem, SyncRun
from harbour.integrations.dingtalk.sync.clients import client_for


class NotReady(Exception):
    """An item cannot be applied yet (its parent department is not in DingTalk): it fails with why."""


@dataclass
class Applying:
    actor: Actor
    run: SyncRun
    connection: Connection
    given: DingTalkClient | None = None
    stats_at_start: tuple[int, int] = (0, 0)
    made: list[DingTalkClient] = field(default_factory=list)

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.connection.tenant_id

    def client(self) -> DingTalkClient:
        if self.given is None:
            self.given = client_for(self.connection)
            self.made.append(self.given)
        return self.given

    def calls(self) -> tuple[int, int]:
        if self.given is None:
            return (0, 0)
        stats = self.given.stats
        return stats.calls - self.stats_at_start[0], stats.throttled - self.stats_at_start[1]


def settle(
    ctx: Applying,
    item: SyncItem,
    outcome: str,
    message: str = "",
    *,
    code: str = "",
    then: Callable[[], object] | None = None,
) -> None:
    """Record the item's outcome (with ``then``'s link changes) in one transaction."""
    with tenant_transaction(ctx.tenant_id):
        if then is not None:
            then()
        item.outcome, item.message, item.error_code = outcome, message[:500], code[:64]
        item.attempts += 1
        item.applied_at = now()
        item.save(update_fields=["outcome", "message", "error_code", "attempts", "applied_at", "updated_at"])
