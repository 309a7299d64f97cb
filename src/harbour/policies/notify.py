"""Telling members about a policy: a console notice at once and an email once the action commits (a mail
server that is down never undoes the publication or the reminder record). Each member gets their own
email, so nobody sees who else was asked."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from harbour.core.databases import database_for
from harbour.directory.models import Member
from harbour.security.notices import post_notice


def read_url(version_id: object) -> str:
    return reverse("policies:read", args=[version_id])


def tell_each(messages: Sequence[tuple[Member, str, str]], *, url: str) -> None:
    """``messages``: (member, title, body). Inside the action's transaction."""
    if not messages:
        return
    for member, title, body in messages:
        post_notice([member], title=title, body=body, url=url)
    link = f"{settings.HARBOUR_BASE_URL.rstrip('/')}{url}"
    mails = tuple(
        (title[:200], f"{body}\n\n{link}\n", None, [member.email])
        for member, title, body in messages
        if member.email
    )
    if mails:
        transaction.on_commit(
            lambda: send_mass_mail(mails, fail_silently=True), using=database_for(messages[0][0].tenant_id)
        )
