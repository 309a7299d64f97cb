"""Telling people about data requests: a console notice at once, an email once the action commits (a mail
server that is down never undoes the step that caused the message)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from harbour.core.databases import database_for
from harbour.directory.models import Member
from harbour.security.notices import post_notice


def request_url(request_id: object) -> str:
    return reverse("data_requests:detail", args=[request_id])


def tell(members: Sequence[Member], *, title: str, body: str, url: str) -> None:
    """Inside the action's transaction: notices now, the email once it commits."""
    if not members:
        return
    post_notice(members, title=title, body=body, url=url)
    addresses = [m.email for m in members if m.email]
    if not addresses:
        return
    link = f"{settings.HARBOUR_BASE_URL.rstrip('/')}{url}"
    text = f"{body}\n\n{link}\n"
    transaction.on_commit(
        lambda: send_mail(title[:200], text, None, addresses, fail_silently=True),
        using=database_for(members[0].tenant_id),
    )
