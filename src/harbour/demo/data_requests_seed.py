"""Demo data of data access and correction requests: a member's access request open at day 12, a
completed correction whose data had gone to a third party (told of the correction), and a request refused
for its language, with its log-book entry."""

from __future__ import annotations

import datetime as dt

from harbour.core.time import HONG_KONG, today_in_hong_kong
from harbour.data_requests.actions import (
    ThirdPartyAnswer,
    complete_correction,
    record_disclosure,
    record_request,
    refuse_request,
)
from harbour.directory.models import Member


def seed_data_requests(officer: Member, requester: Member, corrected: Member) -> None:
    """``officer`` handles requests (holds ``datarequest.manage``, e.g. an Administrator); ``requester``'s
    access request is open at day 12; ``corrected`` had their address corrected."""
    today = today_in_hong_kong()
    record_request(
        officer,
        kind="access",
        received_on=today - dt.timedelta(days=12),
        description="A copy of my personnel file, my appraisal records for 2025 and 2026, and the CCTV log "
        "entries of my building access for October 2026.",
        language="en",
        requester=requester,
        fee="50.00",
        fee_note="Photocopying of the paper appraisal forms (HK$1 a page).",
    )

    disclosed = dt.datetime.combine(today - dt.timedelta(days=95), dt.time(10, 30), tzinfo=HONG_KONG)
    disclosure = record_disclosure(
        officer,
        subject=corrected,
        recipient="HSBC Provident Fund Trustee (Hong Kong) Limited",
        data_disclosed="Name, HKID number, residential address and monthly relevant income (MPF "
        "contributions).",
        disclosed_at=disclosed,
    )
    record_disclosure(
        officer,
        subject=corrected,
        recipient="Wan Chai Medical Centre (annual health check)",
        data_disclosed="Name, date of birth and mobile number.",
        disclosed_at=disclosed - dt.timedelta(days=500),  # more than 12 months before: not told
    )
    correction = record_request(
        officer,
        kind="correction",
        received_on=today - dt.timedelta(days=20),
        description="My residential address is out of date: it is now Flat 12B, 8 Tai Hang Road, "
        "Causeway Bay.",
        language="en",
        requester=corrected,
    )
    complete_correction(
        officer,
        correction,
        satisfied_inaccurate=True,
        correction_made="Residential address changed to Flat 12B, 8 Tai Hang Road, Causeway Bay in the HR "
        "record and the payroll system.",
        corrected_copy_supplied_on=today - dt.timedelta(days=9),
        third_parties=[ThirdPartyAnswer(disclosure.pk, True, today - dt.timedelta(days=8))],
    )

    refused = record_request(
        officer,
        kind="access",
        received_on=today - dt.timedelta(days=30),
        description="Demande d'accès à toutes mes données personnelles.",
        language="other",
        requester_name="Jean Dupont",
        requester_contact="jean.dupont@example.fr",
    )
    refuse_request(
        officer,
        refused,
        ground="s20_3_a_language",
        reasons="The request is written in French. Please send it in Chinese or English, for example on the "
        "PCPD's Data Access Request Form (OPS003), and we will answer within 40 days.",
    )
