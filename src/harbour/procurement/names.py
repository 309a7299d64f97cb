"""How two company names or BR numbers are judged "the same": the keys invoices, payers and partner-list
rows are compared by."""

from __future__ import annotations

import re
import unicodedata

# Same rule as the company profile (directory.actions.tenants): 8 digits, optionally the branch/
# certificate suffix "-xxx-xx-xx-x".
BR_NUMBER = re.compile(r"^\d{8}(?:-\d{3}-\d{2}-\d{2}-[0-9A-Z])?$")

_PUNCTUATION = re.compile(r"[^\w\s]|_")
# Spellings of a company's legal form that mean the same thing on an invoice.
_SAME_WORD = {"limited": "ltd", "ltd": "ltd", "company": "co", "co": "co", "and": "and"}


def name_key(value: str) -> str:
    """``"ACME Trading Co., Limited"`` and ``"acme trading co ltd"`` give the same key: case, width,
    punctuation, spacing and "Limited"/"Ltd" (and "Company"/"Co") do not make two names differ."""
    text = unicodedata.normalize("NFKC", value or "").casefold().replace("&", " and ")
    words = _PUNCTUATION.sub(" ", text).split()
    return " ".join(_SAME_WORD.get(word, word) for word in words)


def same_name(left: str, right: str) -> bool:
    key = name_key(left)
    return bool(key) and key == name_key(right)


def br_key(value: str) -> str:
    """The 8-digit business number: the suffix names a branch or a certificate year, not another business."""
    match = re.match(r"\d{8}", (value or "").strip())
    return match.group(0) if match else ""
