"""One applier per run. A run is applied item by item over minutes, one transaction per item, so no row lock
can cover it; instead the applier writes its name ("host:pid:thread") and a heartbeat on the run. Another
worker (or a person pressing "apply" again) is refused while the holder is alive; a holder that died — a
process on this host that no longer exists, or a heartbeat older than two minutes — is taken over, so a
run killed with kill -9 resumes at once on the same host."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading

from django.utils.translation import gettext as _

from harbour.core.databases import tenant_transaction
from harbour.core.errors import Conflict
from harbour.core.time import now
from harbour.integrations.dingtalk.models import SyncRun

STALE_AFTER = dt.timedelta(minutes=2)


def me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _alive(holder: str, heartbeat: dt.datetime | None) -> bool:
    host, _sep, rest = holder.partition(":")
    pid_text, _sep, thread_text = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return thread_text in {str(t.ident) for t in threading.enumerate()}
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return heartbeat is not None and now() - heartbeat < STALE_AFTER


def take(run: SyncRun) -> None:
    """Become the run's applier, or raise ``Conflict`` while another live one holds it."""
    with tenant_transaction(run.tenant_id):
        row = SyncRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
        holder = row.applier
        if (
            holder
            and holder != me()
            and row.state == SyncRun.State.APPLYING
            and _alive(holder, row.heartbeat_at)
        ):
            raise Conflict(_("this plan is being applied already; wait for it to finish"), field="run_id")
        SyncRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk).update(applier=me(), heartbeat_at=now())


def beat(run: SyncRun) -> None:
    SyncRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk, applier=me()).update(heartbeat_at=now())


def release(run: SyncRun) -> None:
    SyncRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk, applier=me()).update(applier="")
