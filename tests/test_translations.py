"""The Traditional Chinese (Hong Kong) catalogue is complete and compiled, and people actually get it:
the console after choosing 中文, and API errors for ``Accept-Language: zh-hant``."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from harbour.identity.tokens import create_api_token
from tests.factories import Company

LC_MESSAGES = Path(__file__).resolve().parents[1] / "src/harbour/locale/zh_Hant/LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# Placeholders that must survive translation unchanged: %(name)s / %(n)d / %(x)r, bare %s / %d, {{ var }}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\{\s*\w+\s*\}\}")
# CJK punctuation, ideographs and full-width forms.
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    """A small .po reader (standard library only): active entries, with flags; obsolete ones skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, raw
            text = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, (getattr(current, name) or "") + text)
            continue
        keyword, _, rest = line.partition(" ")
        text = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and (
            current is None or current.msgstr or (keyword == "msgid" and current.msgid)
        ):
            finish()
        if current is None:
            current, flags = Entry(flags=flags), set()
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            target = ("msgstr", int(match.group(1)))
            current.msgstr[target[1]] = text
        elif keyword == "msgstr":
            target = ("msgstr", 0)
            current.msgstr[0] = text
        else:
            target = (keyword, 0)
            setattr(current, keyword, text)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO)


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    """Requests activate the language they ask for in this thread; later tests expect English."""
    yield
    translation.deactivate()


def test_catalogue_has_no_empty_or_fuzzy_entries(catalogue: list[Entry]) -> None:
    header, *messages = catalogue
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert len(messages) > 300
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    empty = [e.msgid for e in messages if not e.msgstr or any(not s for s in e.msgstr.values())]
    assert fuzzy == [] and empty == []


def test_translations_keep_placeholders_and_are_chinese(catalogue: list[Entry]) -> None:
    for entry in catalogue[1:]:
        for text in entry.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid
    # Everything except proper names and the language's own name is written in Chinese.
    untranslated = {"Harbour", "English"}
    latin = [
        e.msgid for e in catalogue[1:] if e.msgid not in untranslated and not CHINESE.search(e.msgstr[0])
    ]
    assert latin == []


def test_compiled_catalogue_matches_the_po(catalogue: list[Entry]) -> None:
    with MO.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    assert mo.info()["plural-forms"] == "nplurals=1; plural=0;"
    for entry in catalogue[1:]:
        if entry.msgid_plural is not None:
            got = mo.ngettext(entry.msgid, entry.msgid_plural, 2)
        elif entry.msgctxt is not None:
            got = mo.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = mo.gettext(entry.msgid)
        assert got == entry.msgstr[0], f"the .mo is stale for {entry.msgid!r}: run compilemessages"


NAVIGATION = {"Dashboard": "概覽", "Organisation": "組織架構", "Members": "成員", "Roles": "角色"}


@pytest.mark.django_db
def test_console_in_traditional_chinese(company: Company) -> None:
    assert company.admin is not None and company.admin.account is not None
    client = Client()
    client.force_login(company.admin.account)
    english = client.get("/").content.decode()
    assert all(f">{label}</a>" in english for label in NAVIGATION)

    chosen = client.post("/language/", {"language": "zh-hant", "next": "/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/"

    for path in ("/", "/members/"):
        html = client.get(path).content.decode()
        assert '<html lang="zh-Hant-HK">' in html
        for english_label, chinese_label in NAVIGATION.items():
            assert f">{chinese_label}</a>" in html, (path, chinese_label)
            assert f">{english_label}</a>" not in html, (path, english_label)
    dashboard = client.get("/").content.decode()
    assert "最近動態" in dashboard and "Recent activity" not in dashboard
    members = client.get("/members/").content.decode()
    assert "邀請成員" in members and "Invite a member" not in members


@pytest.mark.django_db
def test_roles_page_shows_builtin_roles_in_chinese(company: Company) -> None:
    assert company.admin is not None and company.admin.account is not None
    client = Client(headers={"accept-language": "zh-hant"})
    client.force_login(company.admin.account)
    html = client.get("/roles/").content.decode()
    for chinese in ("管理員", "部門經理", "一般成員", "全面管理公司的工作空間。"):
        assert chinese in html
    assert ">Administrator</a>" not in html


@pytest.mark.django_db
def test_api_errors_follow_accept_language(company: Company) -> None:
    assert company.admin is not None
    _, token = create_api_token(company.admin, company.admin, name="t", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def invite(email: str, language: str) -> dict[str, object]:
        response = client.post(
            "/api/v1/members",
            {"email": email, "name": "Wong Siu Ming"},
            content_type="application/json",
            headers={"accept-language": language},
        )
        assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
        body: dict[str, object] = response.json()
        return body

    chinese = invite("siuming@example.org", "zh-hant")
    assert chinese["title"] == "輸入無效"
    assert chinese["detail"] == "只可使用公司已驗證網域（acme.com.hk）的電郵地址"
    assert chinese["field"] == "email"

    malformed = invite("not an email", "zh-HK")  # the browser's usual tag falls back to zh-hant
    assert "不是有效的電郵地址" in str(malformed["detail"]) and malformed["field"] == "email"

    english = invite("siuming@example.org", "en")
    assert english["title"] == "Invalid input"
    assert english["detail"] == "only addresses of the company's verified domains (acme.com.hk) may be used"
    assert english["field"] == "email"
