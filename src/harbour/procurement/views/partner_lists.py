"""Console pages of the official partner list: every import (newest first on top), one import's rows, and
importing a CSV with the date DingTalk published it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError, Invalid
from harbour.directory.views.base import ConsoleRequest
from harbour.procurement import actions
from harbour.procurement.forms import PartnerListImportForm
from harbour.procurement.partner_rows import MAX_CSV_CHARS
from harbour.procurement.queries import get_partner_list_for, newest_partner_list, partner_lists_visible_to
from harbour.procurement.views.base import MANAGE, VIEW, may, page_of, require


@member_required
def partner_lists(request: ConsoleRequest) -> HttpResponse:
    require(request, VIEW)
    page, is_later_page = page_of(request, partner_lists_visible_to(request.actor), ("published_on", "id"))
    context = {
        "newest": newest_partner_list(request.tenant),
        "lists": page.items,
        "next_cursor": page.next_cursor,
        "is_later_page": is_later_page,
        "may_manage": may(request, MANAGE),
    }
    return render(request, "procurement/partner_lists.html", context)


@member_required
def partner_list_detail(request: ConsoleRequest, list_id: uuid.UUID) -> HttpResponse:
    require(request, VIEW)
    partner_list = get_partner_list_for(request.actor, list_id)
    page, is_later_page = page_of(request, partner_list.entries.all(), ("line", "id"))
    context = {
        "partner_list": partner_list,
        "entries": page.items,
        "next_cursor": page.next_cursor,
        "is_later_page": is_later_page,
    }
    return render(request, "procurement/partner_list_detail.html", context)


def _csv_text(upload: UploadedFile) -> str:
    """The uploaded bytes as text: UTF-8 (with or without Excel's byte-order mark), at most 4 MB."""
    if upload.size is not None and upload.size > MAX_CSV_CHARS:
        raise Invalid(_("the CSV is larger than 4 MB"), field="csv")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("the file is not UTF-8 text: save the list as CSV UTF-8"), field="csv") from None


@member_required
def partner_list_import(request: ConsoleRequest) -> HttpResponse:
    require(request, MANAGE)
    posted = request.method == "POST"
    form = PartnerListImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            imported = actions.import_partner_list(
                request.actor,
                published_on=form.cleaned_data["published_on"],
                csv_text=_csv_text(upload),
                source=(upload.name or "")[:200],
            )
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Imported %(count)d partners from the list published %(day)s.")
                % {"count": imported.row_count, "day": imported.published_on.isoformat()},
            )
            return redirect("procurement:partner_list", imported.pk)
    return render(
        request, "procurement/partner_list_import.html", {"form": form}, status=400 if form.errors else 200
    )
