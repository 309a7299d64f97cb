"""Leavers whose push never reached Harbour. DingTalk writes a leave record whenever someone is removed from
the organisation; a linked account that a complete read of DingTalk no longer finds, and that has such a
record, left on DingTalk's side while Harbour was not told (the callback was down or not set up). It is
reflected exactly as the ``user_leave_org`` push would have been — an event kept once (its digest comes from
the record), the account frozen as a leaver — before a plan is made, so the plan does not add the person
back. An account missing from DingTalk without a leave record is the plan's to repair: it is added again."""

from __future__ import annotations

import datetime as dt
import hashlib

from harbour.core.time import now
from harbour.integrations.dingtalk.client import DingTalkClient
from harbour.integrations.dingtalk.models import CallbackEvent, Connection, MemberLink
from harbour.integrations.dingtalk.sync.events import handle_event
from harbour.integrations.dingtalk.sync.matching import open_departures
from harbour.integrations.dingtalk.sync.snapshot import Snapshot

LOOKBACK = dt.timedelta(days=180)  # DingTalk keeps leave records longer; older links were checked before


def reflect_missed_leavers(
    connection: Connection, snapshot: Snapshot, client: DingTalkClient
) -> list[CallbackEvent]:
    """Freeze each linked account DingTalk removed without Harbour hearing of it; answers the events."""
    if not snapshot.complete:
        return []  # a user outside the visible part may still be there
    tenant_id = connection.tenant_id
    departed = open_departures(tenant_id)
    absent = {
        link.userid: link
        for link in MemberLink.objects.for_tenant(tenant_id).filter(
            removed_at__isnull=True, situation=MemberLink.Situation.LINKED, member__isnull=False
        )
        if link.userid not in snapshot.users and link.member_id not in departed
    }
    if not absent:
        return []
    since = max(min(link.created_at for link in absent.values()), now() - LOOKBACK) - dt.timedelta(days=1)
    events: list[CallbackEvent] = []
    for record in client.iter_leave_records(since):
        userid = str(record.get("userId") or "")
        if absent.pop(userid, None) is None:
            continue
        left_at = str(record.get("leaveTime") or "")
        envelope = {
            "EventType": "user_leave_org",
            "CorpId": connection.corp_id,
            "UserId": [userid],
            "LeaveTime": left_at,
            "LeaveReason": str(record.get("leaveReason") or ""),
            "Source": "leave_record",
        }
        digest = hashlib.sha256(f"leave-record\n{userid}\n{left_at}".encode()).hexdigest()
        events.append(handle_event(connection, envelope, digest=digest))
    return events
