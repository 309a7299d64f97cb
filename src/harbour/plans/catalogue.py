"""The default catalogue, from the seed's price list; values the seed leaves open are chosen here.

Seed: Free — basic communication and 1,000 cloud-meeting minutes; Basic ≈ HK$35 per user per month —
advanced attendance, department group management, 2 TB enterprise storage; Professional ≈ HK$80 — adds API
access, single sign-on and operation-log audit; Premium, custom price — adds private deployment, a dedicated
database and the strongest encryption. Meetings hold up to 100 participants.

Chosen here (the seed is silent): Free is capped at 50 accounts and 10 GB of storage; Basic includes 10,000
meeting minutes a month, Professional 50,000 and 5 TB, Premium unlimited minutes, 20 TB and 300 participants.
Storage uses decimal units (1 TB = 10^12 bytes), as storage is sold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harbour.core.entitlements import Feature, Quota

GB = 10**9
TB = 10**12

_FREE = [Feature.BASIC_COMMUNICATION]
_BASIC = [*_FREE, Feature.ADVANCED_ATTENDANCE, Feature.DEPARTMENT_GROUPS]
_PROFESSIONAL = [*_BASIC, Feature.API_ACCESS, Feature.SINGLE_SIGN_ON, Feature.OPERATION_LOG_AUDIT]
_PREMIUM = [
    *_PROFESSIONAL,
    Feature.PRIVATE_DEPLOYMENT,
    Feature.DEDICATED_DATABASE,
    Feature.STRONGEST_ENCRYPTION,
]

DEFAULT_PLANS: list[dict[str, Any]] = [
    {
        "code": "free",
        "name": "Free",
        "name_zh": "免費版",
        "rank": 0,
        "price_per_seat_month": Decimal("0.00"),
        "features": [f.value for f in _FREE],
        "quotas": {
            Quota.SEATS.value: 50,
            Quota.MEETING_MINUTES.value: 1_000,
            Quota.STORAGE_BYTES.value: 10 * GB,
            Quota.MEETING_PARTICIPANTS.value: 100,
        },
        "summary": "Basic communication and 1,000 cloud-meeting minutes a month.",
    },
    {
        "code": "basic",
        "name": "Basic",
        "name_zh": "基礎版",
        "rank": 1,
        "price_per_seat_month": Decimal("35.00"),
        "features": [f.value for f in _BASIC],
        "quotas": {
            Quota.MEETING_MINUTES.value: 10_000,
            Quota.STORAGE_BYTES.value: 2 * TB,
            Quota.MEETING_PARTICIPANTS.value: 100,
        },
        "summary": "Advanced attendance, department group management and 2 TB of enterprise storage.",
    },
    {
        "code": "professional",
        "name": "Professional",
        "name_zh": "專業版",
        "rank": 2,
        "price_per_seat_month": Decimal("80.00"),
        "features": [f.value for f in _PROFESSIONAL],
        "quotas": {
            Quota.MEETING_MINUTES.value: 50_000,
            Quota.STORAGE_BYTES.value: 5 * TB,
            Quota.MEETING_PARTICIPANTS.value: 100,
        },
        "summary": "Adds API access, single sign-on and operation-log audit.",
    },
    {
        "code": "premium",
        "name": "Premium",
        "name_zh": "尊享版",
        "rank": 3,
        "price_per_seat_month": None,
        "features": [f.value for f in _PREMIUM],
        "quotas": {
            Quota.MEETING_MINUTES.value: None,
            Quota.STORAGE_BYTES.value: 20 * TB,
            Quota.MEETING_PARTICIPANTS.value: 300,
        },
        "summary": (
            "Adds private deployment, a dedicated database and the strongest encryption; price by contract."
        ),
    },
]

FREE_PLAN_CODE = "free"


def ensure_default_catalogue(plan_model: Any = None) -> int:
    """Create the default plans that are missing (by code); existing plans keep the operator's edits.
    Takes the model so the data migration can pass its historical one."""
    if plan_model is None:
        from harbour.plans.models import Plan

        plan_model = Plan
    created = 0
    for values in DEFAULT_PLANS:
        _plan, was_created = plan_model.objects.get_or_create(
            code=values["code"], defaults={k: v for k, v in values.items() if k != "code"}
        )
        created += was_created
    return created
