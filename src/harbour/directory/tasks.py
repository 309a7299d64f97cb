"""Background tasks of the directory: idempotent where they can be, they call the actions."""

from __future__ import annotations

import uuid
from typing import Any

from django_tasks import task


@task()
def email_invitations(tenant_id: str, invitation_ids: list[str]) -> dict[str, Any]:
    """Email the invitations an import made (each with a link minted now)."""
    from harbour.directory.actions.members import mail_invitations

    return {"sent": mail_invitations(uuid.UUID(tenant_id), invitation_ids)}
