"""The due-diligence checklist of a quote: six rules that must pass and four red flags that must not stand
before a purchase may be approved (the checks DingTalk buyers in Hong Kong are advised to make: official
partner list, authorisation certificate, invoice issuer, payer, support response, SLA).

Pure evaluation: the caller loads the quote, the company's registered name and the newest partner list
(``queries.checklist_of``), so the rules can be tested on any date without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.core.time import HONG_KONG, add_months
from harbour.procurement.models import AnswerLanguage, Quote, Reseller
from harbour.procurement.names import br_key, name_key, same_name

PARTNER_LIST_MAX_AGE_MONTHS = 3  # DingTalk updates the list quarterly
SUPPORT_ANSWER_WITHIN = dt.timedelta(hours=1)
SUPPORT_LANGUAGES = (AnswerLanguage.CANTONESE, AnswerLanguage.ENGLISH)
# A price more than this share below the catalogue is a red flag; exactly this share is not.
LOW_PRICE_PERCENT = Decimal("30")
_HONG_KONG_REGIONS = {"", "hong kong", "hk", "hksar", "hong kong sar", "香港", "中國香港"}

RULE_LABELS: dict[str, Promise] = {
    "partner_list": gettext_lazy("On DingTalk's official partner list (current quarter)"),
    "certificate": gettext_lazy("Authorisation certificate recorded and verified"),
    "invoice_issuer": gettext_lazy("Invoice issued under the reseller's registered name"),
    "payer": gettext_lazy("Payer is the company's registered name"),
    "support": gettext_lazy("Support answers within one hour, in Cantonese or English"),
    "sla": gettext_lazy("Service Level Agreement signed"),
}
FLAG_LABELS: dict[str, Promise] = {
    "low_price": gettext_lazy("Abnormally low price"),
    "no_local_address": gettext_lazy("No local contact address"),
    "no_sla": gettext_lazy("No SLA"),
    "no_certificate": gettext_lazy("No authorisation certificate number"),
}


class ListEntry(Protocol):
    name: str
    br_number: str
    region: str
    name_key: str
    br_key: str


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    reason: str

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.code])


@dataclass(frozen=True)
class RedFlag:
    code: str
    reason: str

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])


@dataclass(frozen=True)
class PriceComparison:
    catalogue_price: Decimal | None  # None: the plan is priced by contract
    below_percent: Decimal | None  # how far below the catalogue (negative: above); None: not comparable
    note: str


@dataclass(frozen=True)
class Checklist:
    checked_on: dt.date
    rules: list[RuleResult]
    red_flags: list[RedFlag]
    price: PriceComparison
    partner_list_published_on: dt.date | None = None

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed]

    @property
    def approvable(self) -> bool:
        return not self.failed and not self.red_flags

    def blockers(self) -> list[str]:
        """Why the purchase cannot be approved, one line per failing rule or standing red flag."""
        return [f"{r.label}: {r.reason}" for r in self.failed] + [
            f"{f.label}: {f.reason}" for f in self.red_flags
        ]


def _money(value: Decimal) -> str:
    return f"HK${value:,.2f}"


def _is_hong_kong(region: str) -> bool:
    return name_key(region) in _HONG_KONG_REGIONS


# ---------------------------------------------------------------------------------------- partner list
@dataclass(frozen=True)
class PartnerMatch:
    """How a reseller stands on a list: its entry (and whether the BR number or the name matched), or the
    nearest miss worth telling — a same-named entry with another BR number, or one outside Hong Kong."""

    entry: ListEntry | None = None
    by_br: bool = False
    conflict: ListEntry | None = None
    elsewhere: ListEntry | None = None


def match_entry(reseller: Reseller, candidates: list[ListEntry]) -> PartnerMatch:
    """Match by BR number first; a name match counts unless the entry carries another BR number (a
    look-alike name is how unauthorised sellers pass themselves off). Only Hong Kong entries count."""
    own_br = br_key(reseller.br_number)
    own_names = {name_key(reseller.name), name_key(reseller.registered_name)} - {""}
    found: ListEntry | None = None
    found_by_br = False
    conflict: ListEntry | None = None
    elsewhere: ListEntry | None = None
    for entry in candidates:
        by_br = bool(own_br) and entry.br_key == own_br
        by_name = entry.name_key in own_names
        if not (by_br or by_name):
            continue
        if not by_br and entry.br_key and own_br:
            conflict = conflict or entry
            continue
        if not _is_hong_kong(entry.region):
            elsewhere = elsewhere or entry
            continue
        if found is None or (by_br and not found_by_br):
            found, found_by_br = entry, by_br
    return PartnerMatch(found, found_by_br, conflict, elsewhere)


# ------------------------------------------------------------------------------------------------ rules
def _partner_list_rule(
    quote: Quote, published_on: dt.date | None, candidates: list[ListEntry], today: dt.date
) -> RuleResult:
    if published_on is None:
        return RuleResult("partner_list", False, _("no official partner list has been imported"))
    reseller = quote.reseller
    day = published_on.isoformat()
    match = match_entry(reseller, candidates)
    oldest_allowed = add_months(today, -PARTNER_LIST_MAX_AGE_MONTHS)
    if published_on < oldest_allowed:
        return RuleResult(
            "partner_list",
            False,
            _(
                "the newest partner list was published on %(day)s, more than a quarter before %(today)s: "
                "import the current list from dingtalk.com"
            )
            % {"day": day, "today": today.isoformat()},
        )
    if match.entry is not None:
        entry = match.entry
        reason = (
            _("listed as “%(name)s” (BR %(br)s) on the list published %(day)s")
            if match.by_br
            else _("listed as “%(name)s” (matched by name) on the list published %(day)s")
        )
        return RuleResult(
            "partner_list", True, reason % {"name": entry.name, "br": entry.br_number, "day": day}
        )
    if match.conflict is not None:
        conflict = match.conflict
        return RuleResult(
            "partner_list",
            False,
            _("the list published %(day)s has “%(name)s” with BR %(br)s, not the reseller's %(own)s")
            % {"day": day, "name": conflict.name, "br": conflict.br_number, "own": reseller.br_number},
        )
    if match.elsewhere is not None:
        elsewhere = match.elsewhere
        return RuleResult(
            "partner_list",
            False,
            _("the list published %(day)s has “%(name)s” only for the region %(region)s, not Hong Kong")
            % {"day": day, "name": elsewhere.name, "region": elsewhere.region},
        )
    return RuleResult("partner_list", False, _("not on the partner list published %(day)s") % {"day": day})


def _certificate_rule(quote: Quote) -> RuleResult:
    reseller = quote.reseller
    if not reseller.certificate_number:
        return RuleResult("certificate", False, _("no authorisation certificate number is recorded"))
    if reseller.certificate_verified_at is None:
        return RuleResult(
            "certificate",
            False,
            _("certificate %(number)s has not been verified with DingTalk's customer service")
            % {"number": reseller.certificate_number},
        )
    return RuleResult(
        "certificate",
        True,
        _("certificate %(number)s verified by %(who)s on %(day)s")
        % {
            "number": reseller.certificate_number,
            "who": reseller.certificate_verified_by_label,
            "day": reseller.certificate_verified_at.astimezone(HONG_KONG).date().isoformat(),
        },
    )


def _invoice_rule(quote: Quote) -> RuleResult:
    registered = quote.reseller.registered_name
    if not quote.invoice_issuer:
        return RuleResult("invoice_issuer", False, _("the invoice issuer is not recorded"))
    if not registered:
        return RuleResult("invoice_issuer", False, _("the reseller's registered name is not recorded"))
    if same_name(quote.invoice_issuer, registered):
        return RuleResult(
            "invoice_issuer",
            True,
            _("“%(issuer)s” is the reseller's registered name") % {"issuer": quote.invoice_issuer},
        )
    return RuleResult(
        "invoice_issuer",
        False,
        _("the invoice is issued by “%(issuer)s”, not the reseller's registered name “%(registered)s”")
        % {"issuer": quote.invoice_issuer, "registered": registered},
    )


def _payer_rule(quote: Quote, company_registered_name: str) -> RuleResult:
    if not company_registered_name:
        return RuleResult(
            "payer", False, _("the company's registered name is not set in the company profile")
        )
    if not quote.payer_name:
        return RuleResult("payer", False, _("the payer is not recorded"))
    if same_name(quote.payer_name, company_registered_name):
        return RuleResult(
            "payer", True, _("“%(payer)s” is the company's registered name") % {"payer": quote.payer_name}
        )
    return RuleResult(
        "payer",
        False,
        _("the payer is “%(payer)s”, not the company's registered name “%(registered)s”")
        % {"payer": quote.payer_name, "registered": company_registered_name},
    )


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def _support_rule(quote: Quote) -> RuleResult:
    sent, answered = quote.support_query_sent_at, quote.support_first_answer_at
    if sent is None:
        return RuleResult("support", False, _("no support-response test has been recorded"))
    if answered is None:
        return RuleResult("support", False, _("the test query has had no answer"))
    delay = answered - sent
    language = AnswerLanguage(quote.support_answer_language) if quote.support_answer_language else None
    problems = []
    if delay > SUPPORT_ANSWER_WITHIN:
        problems.append(
            _("the first answer came after %(delay)s, later than one hour") % {"delay": _duration(delay)}
        )
    if language not in SUPPORT_LANGUAGES:
        label = language.label if language is not None else _("an unrecorded language")
        problems.append(_("the answer was in %(language)s, not Cantonese or English") % {"language": label})
    if problems:
        return RuleResult("support", False, "; ".join(problems))
    assert language is not None
    return RuleResult(
        "support",
        True,
        _("answered after %(delay)s in %(language)s")
        % {"delay": _duration(delay), "language": language.label},
    )


def _sla_rule(quote: Quote) -> RuleResult:
    reseller = quote.reseller
    if not reseller.sla_document:
        return RuleResult("sla", False, _("no SLA document is on file"))
    if reseller.sla_signed_on is None:
        return RuleResult("sla", False, _("the SLA on file has no signed date"))
    return RuleResult(
        "sla", True, _("signed on %(day)s (document on file)") % {"day": reseller.sla_signed_on.isoformat()}
    )


# ------------------------------------------------------------------------------------------- red flags
def compare_price(quote: Quote) -> PriceComparison:
    catalogue = quote.plan.price_per_seat_month
    if catalogue is None:
        return PriceComparison(
            None,
            None,
            _("%(plan)s is priced by contract: the quoted price cannot be compared with a catalogue price")
            % {"plan": quote.plan.display_name},
        )
    if catalogue == 0:
        return PriceComparison(
            catalogue, None, _("%(plan)s is free in the catalogue") % {"plan": quote.plan.display_name}
        )
    below = ((catalogue - quote.unit_price) * 100 / catalogue).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if below == 0:
        note = _("%(price)s is the catalogue price")
    elif below > 0:
        note = _("%(price)s is %(percent)s%% below the catalogue price %(catalogue)s")
    else:
        note = _("%(price)s is %(percent)s%% above the catalogue price %(catalogue)s")
    return PriceComparison(
        catalogue,
        below,
        note % {"price": _money(quote.unit_price), "percent": abs(below), "catalogue": _money(catalogue)},
    )


def _is_abnormally_low(quote: Quote) -> bool:
    """Strictly more than 30% below: compared exactly (no rounding), so 30.00% is not a flag, 30.01% is."""
    catalogue = quote.plan.price_per_seat_month
    if catalogue is None or catalogue == 0:
        return False
    return quote.unit_price * 100 < catalogue * (100 - LOW_PRICE_PERCENT)


def _red_flags(quote: Quote, price: PriceComparison) -> list[RedFlag]:
    reseller = quote.reseller
    flags: list[RedFlag] = []
    if _is_abnormally_low(quote):
        flags.append(
            RedFlag("low_price", _("%(note)s: more than 30%% below the market rate") % {"note": price.note})
        )
    if not reseller.hk_address.strip():
        flags.append(RedFlag("no_local_address", _("the reseller has given no local contact address")))
    if not reseller.has_sla:
        flags.append(RedFlag("no_sla", _("no signed Service Level Agreement is on file")))
    if not reseller.certificate_number:
        flags.append(
            RedFlag("no_certificate", _("the reseller has given no authorisation certificate number"))
        )
    return flags


def evaluate(
    quote: Quote,
    *,
    company_registered_name: str,
    partner_list_published_on: dt.date | None,
    candidates: list[ListEntry],
    today: dt.date,
) -> Checklist:
    """``candidates`` are the newest list's entries sharing the reseller's BR number or a name key."""
    price = compare_price(quote)
    rules = [
        _partner_list_rule(quote, partner_list_published_on, candidates, today),
        _certificate_rule(quote),
        _invoice_rule(quote),
        _payer_rule(quote, company_registered_name),
        _support_rule(quote),
        _sla_rule(quote),
    ]
    return Checklist(
        checked_on=today,
        rules=rules,
        red_flags=_red_flags(quote, price),
        price=price,
        partner_list_published_on=partner_list_published_on,
    )
