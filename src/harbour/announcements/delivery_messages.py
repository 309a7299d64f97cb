"""What a recipient is sent: a console notice at once and an email after the commit, each in the language the
member chose for announcements (both languages, English first, when they never chose)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from harbour.announcements.models import Announcement, Delivery, Language
from harbour.core.databases import database_for
from harbour.directory.models import Member
from harbour.security.notices import post_notice

_LOCALE = {Language.ENGLISH: "en", Language.CHINESE: "zh-hant"}


def read_url(announcement: Announcement) -> str:
    return reverse("announcements:read", args=[announcement.pk])


def subject_in(announcement: Announcement, language: str) -> str:
    if language == Language.CHINESE:
        return announcement.title_zh
    if language == Language.ENGLISH:
        return announcement.title
    return f"{announcement.title} / {announcement.title_zh}"


def _text_in(announcement: Announcement, language: str, link: str) -> str:
    with translation.override(_LOCALE[Language(language)]):
        return render_to_string(
            "announcements/email.txt", {"parts": announcement.in_language(language), "link": link}
        )


def email_body(announcement: Announcement, language: str, link: str) -> str:
    """One language, or both one after the other."""
    if language == Language.BOTH:
        english = _text_in(announcement, Language.ENGLISH, link)
        chinese = _text_in(announcement, Language.CHINESE, link)
        return f"{english}\n----------------------------------------\n\n{chinese}"
    return _text_in(announcement, language, link)


def tell_recipients(announcement: Announcement, deliveries: Sequence[tuple[Member, Delivery]]) -> None:
    """Inside the sending transaction: the notices now, the emails once it commits (a mail server that is
    down never undoes the sending)."""
    url = read_url(announcement)
    by_language: dict[str, list[Member]] = defaultdict(list)
    for member, delivery in deliveries:
        by_language[delivery.language].append(member)
    for language, members in by_language.items():
        body = ""
        if announcement.effective_date is not None:
            with translation.override(_LOCALE.get(Language(language), "en")):
                body = translation.gettext("Effective %(date)s") % {
                    "date": announcement.effective_date.isoformat()
                }
        post_notice(members, title=subject_in(announcement, language), body=body, url=url)

    link = f"{settings.HARBOUR_BASE_URL.rstrip('/')}{url}"
    bodies = {language: email_body(announcement, language, link) for language in by_language}
    messages = [
        EmailMessage(
            subject_in(announcement, delivery.language)[:200], bodies[delivery.language], None, [member.email]
        )
        for member, delivery in deliveries
        if member.email
    ]
    if not messages:
        return

    def send() -> None:
        get_connection(fail_silently=True).send_messages(messages)

    transaction.on_commit(send, using=database_for(announcement.tenant_id))
