"""Console URL-matrix rows for the PDPO register pages: officers' pages need ``pdpo.view`` (their forms
``pdpo.manage``, approvals ``pdpo.approve``); the current PICS is open to every member."""

from __future__ import annotations

from django.urls import reverse

from tests.console.test_url_matrix import Row
from tests.pdpo import builders

ROWS: dict[str, Row] = {
    "pdpo:home": Row(lambda c: reverse("pdpo:home")),
    "pdpo:inventory": Row(lambda c: reverse("pdpo:inventory")),
    "pdpo:category": Row(
        lambda c: reverse("pdpo:category", args=[builders.category(c).pk]), foreign_object=True
    ),
    "pdpo:systems": Row(lambda c: reverse("pdpo:systems")),
    "pdpo:system": Row(lambda c: reverse("pdpo:system", args=[builders.system(c).pk]), foreign_object=True),
    "pdpo:notices": Row(lambda c: reverse("pdpo:notices")),
    "pdpo:notice": Row(lambda c: reverse("pdpo:notice", args=[builders.notice(c).pk]), foreign_object=True),
    "pdpo:notice_publish": Row(
        lambda c: reverse("pdpo:notice_publish", args=[builders.notice(c, "pps", published=False).pk]),
        foreign_object=True,
    ),
    "pdpo:notice_shown": Row(
        lambda c: reverse("pdpo:notice_shown", args=[builders.notice(c).pk]),
        "post",
        data=lambda c: {"person_name": "Applicant Lee", "how": "paper form"},
        foreign_object=True,
    ),
    "pdpo:not_shown": Row(lambda c: reverse("pdpo:not_shown")),
    "pdpo:pics": Row(lambda c: (builders.notice(c), reverse("pdpo:pics"))[1], self_service=True),
    "pdpo:consents": Row(lambda c: reverse("pdpo:consents")),
    "pdpo:tias": Row(lambda c: reverse("pdpo:tias")),
    "pdpo:tia": Row(lambda c: reverse("pdpo:tia", args=[builders.tia(c).pk]), foreign_object=True),
    "pdpo:tias_approve": Row(
        lambda c: reverse("pdpo:tias_approve", args=[builders.tia(c).pk]), "post", foreign_object=True
    ),
    "pdpo:gba": Row(lambda c: reverse("pdpo:gba")),
    "pdpo:gba_contract": Row(
        lambda c: reverse("pdpo:gba_contract", args=[builders.gba(c).pk]), foreign_object=True
    ),
    "pdpo:processors": Row(lambda c: reverse("pdpo:processors")),
    "pdpo:processor": Row(
        lambda c: reverse("pdpo:processor", args=[builders.processor(c).pk]), foreign_object=True
    ),
    "pdpo:monitoring": Row(lambda c: reverse("pdpo:monitoring")),
    "pdpo:assessment": Row(
        lambda c: reverse("pdpo:assessment", args=[builders.monitoring(c).pk]), foreign_object=True
    ),
    "pdpo:monitoring_approve": Row(
        lambda c: reverse("pdpo:monitoring_approve", args=[builders.monitoring(c).pk]),
        "post",
        foreign_object=True,
    ),
    "pdpo:location": Row(lambda c: reverse("pdpo:location")),
}
