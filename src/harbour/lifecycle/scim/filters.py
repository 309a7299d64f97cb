"""SCIM filters and attribute paths (RFC 7644 §3.4.2.2 and §3.5.2): parsed into a small tree, then turned
into a database query (``users.py``, ``groups.py``) or evaluated on an element of a multi-valued attribute
(PATCH paths such as ``emails[type eq "work"].value``).

Grammar: ``or`` / ``and`` / ``not (…)`` / parentheses over ``attrPath op value`` and ``attrPath pr``, where
``op`` is one of eq, ne, co, sw, ew, gt, ge, lt, le and a value is a JSON string, number, true, false or
null. Attribute names are case-insensitive and may carry their schema URN
(``urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber``).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from harbour.lifecycle.scim.errors import ScimError, invalid_filter, invalid_path

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
SCHEMAS = (CORE_USER, ENTERPRISE, CORE_GROUP)

COMPARE = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
MAX_LENGTH = 2000


@dataclass(frozen=True)
class AttrPath:
    """``schema`` is the URN the name was written with (lower-cased) or ``""``; ``name`` and ``sub`` are
    lower-cased: SCIM attribute names are case-insensitive."""

    schema: str
    name: str
    sub: str = ""

    def __str__(self) -> str:
        text = f"{self.schema}:{self.name}" if self.schema else self.name
        return f"{text}.{self.sub}" if self.sub else text


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class Logical:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class ValueFilter:
    """``emails[type eq "work"]``: elements of a multi-valued attribute that satisfy ``inner``."""

    path: AttrPath
    inner: Node


Node = Compare | Present | Logical | Not | ValueFilter

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<punct>[()\[\]])
      | (?P<word>[^\s()\[\]"]+)
    )""",
    re.VERBOSE,
)


def parse_attr_path(text: str) -> AttrPath:
    """``name``, ``name.sub``, or either prefixed by a schema URN and a colon."""
    schema = ""
    rest = text
    if text.lower().startswith("urn:"):
        known = next((s for s in SCHEMAS if text.lower().startswith(s.lower() + ":")), None)
        if known is not None:
            schema, rest = known.lower(), text[len(known) + 1 :]
        else:
            schema, _sep, rest = text.rpartition(":")
            schema = schema.lower()
    name, _dot, sub = rest.partition(".")
    if (
        not name
        or not re.fullmatch(r"\$?[A-Za-z][\w$-]*", name)
        or (sub and not re.fullmatch(r"\$?\w+", sub))
    ):
        raise invalid_filter(_("%(path)r is not an attribute path") % {"path": text})
    return AttrPath(schema, name.lower(), sub.lower())


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise invalid_filter(_("the filter is longer than %(n)d characters") % {"n": MAX_LENGTH})
        self.tokens: list[tuple[str, str]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise invalid_filter(_("the filter cannot be read near %(text)r") % {"text": text[position:]})
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
            while position < len(text) and text[position].isspace():
                position += 1
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid_filter(_("the filter ends too early"))
        self.at += 1
        return token

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "word" and token[1].lower() in words:
            self.at += 1
            return token[1].lower()
        return None

    def expect(self, punct: str) -> None:
        kind, text = self.take()
        if kind != "punct" or text != punct:
            raise invalid_filter(_("expected %(want)r, found %(found)r") % {"want": punct, "found": text})

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek() is not None:
            raise invalid_filter(_("unexpected %(text)r in the filter") % {"text": self.peek()[1]})  # type: ignore[index]
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.keyword("or"):
            node = Logical("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.keyword("and"):
            node = Logical("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.keyword("not"):
            self.expect("(")
            inner = self.disjunction()
            self.expect(")")
            return Not(inner)
        return self.atom()

    def atom(self) -> Node:
        kind, text = self.take()
        if kind == "punct" and text == "(":
            node = self.disjunction()
            self.expect(")")
            return node
        if kind != "word":
            raise invalid_filter(_("expected an attribute, found %(found)r") % {"found": text})
        path = parse_attr_path(text)
        token = self.peek()
        if token == ("punct", "["):
            self.at += 1
            inner = self.disjunction()
            self.expect("]")
            return ValueFilter(path, inner)
        if self.keyword("pr"):
            return Present(path)
        op_kind, op = self.take()
        if op_kind != "word" or op.lower() not in COMPARE:
            raise invalid_filter(_("%(op)r is not a filter operator") % {"op": op})
        return Compare(path, op.lower(), self.value())

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise invalid_filter(_("%(text)s is not a valid string") % {"text": text}) from None
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        try:
            return json.loads(text) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else _bad(text)
        except json.JSONDecodeError:
            return _bad(text)


def _bad(text: str) -> Any:
    raise invalid_filter(_("%(text)r is not a value: strings are written in double quotes") % {"text": text})


def parse_filter(text: str) -> Node:
    if not text.strip():
        raise invalid_filter(_("the filter is empty"))
    return _Parser(text).parse()


@dataclass(frozen=True)
class PatchPath:
    """A PATCH target: ``attr``, ``attr.sub``, ``attr[filter]`` or ``attr[filter].sub``, optionally behind a
    schema URN; ``attr`` may be empty when the path names a whole extension."""

    schema: str
    name: str
    where: Node | None = None
    sub: str = ""


def parse_patch_path(text: str) -> PatchPath:
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise invalid_path(_("the path is empty or too long"))
    lowered = text.lower()
    for schema in SCHEMAS:
        if lowered == schema.lower():
            return PatchPath(schema.lower(), "")
    try:
        if "[" in text:
            head, _bracket, rest = text.partition("[")
            inner, closing, tail = rest.rpartition("]")
            if not closing or (tail and not tail.startswith(".")):
                raise invalid_path(_("%(path)r is not a valid path") % {"path": text})
            base = parse_attr_path(head)
            if base.sub:
                raise invalid_path(_("%(path)r is not a valid path") % {"path": text})
            sub = tail[1:].lower()
            if tail and not re.fullmatch(r"\$?\w+", sub):
                raise invalid_path(_("%(path)r is not a valid path") % {"path": text})
            return PatchPath(base.schema, base.name, parse_filter(inner), sub)
        base = parse_attr_path(text)
    except ScimError as exc:
        if exc.scim_type == "invalidPath":
            raise
        raise invalid_path(exc.detail) from None
    return PatchPath(base.schema, base.name, None, base.sub)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def matches(node: Node, element: dict[str, Any]) -> bool:
    """Does an element of a multi-valued attribute (``{"type": "work", "value": …}``) satisfy ``node``?
    String comparisons ignore case (the sub-attributes filtered on — type, value — are not case-exact
    or are identifiers)."""
    if isinstance(node, Logical):
        left = matches(node.left, element)
        return (
            (left and matches(node.right, element))
            if node.op == "and"
            else (left or matches(node.right, element))
        )
    if isinstance(node, Not):
        return not matches(node.inner, element)
    if isinstance(node, ValueFilter):
        raise invalid_filter(_("a filter inside brackets cannot hold another"))
    lowered = {str(k).lower(): v for k, v in element.items()}
    key = node.path.sub or node.path.name
    present = key in lowered and lowered[key] not in (None, "", [])
    if isinstance(node, Present):
        return present
    if node.value is None:
        return not present if node.op == "eq" else present
    have, want = _text(lowered.get(key)).lower(), _text(node.value).lower()
    return {
        "eq": have == want,
        "ne": have != want,
        "co": want in have,
        "sw": have.startswith(want),
        "ew": have.endswith(want),
        "gt": have > want,
        "ge": have >= want,
        "lt": have < want,
        "le": have <= want,
    }[node.op]


# ------------------------------------------------------------------------------------- filters → queries
@dataclass(frozen=True)
class Column:
    """Where a filterable attribute lives: a column of the listed model, or of a related table whose
    matching rows ``wrap`` turns into a condition on the listed model."""

    column: str
    case_exact: bool = False
    wrap: Callable[[Q], Q] | None = None
    identifier: bool = False  # compared only with eq/ne (ids)


_LOOKUPS = {"eq": "exact", "co": "contains", "sw": "startswith", "ew": "endswith"}


def to_query(node: Node, columns: dict[str, Column], resource: str) -> Q:
    """The filter as a condition on the listed model. ``columns`` is keyed by ``name`` or ``name.sub``
    (lower-case); an attribute or operator outside it is an ``invalidFilter`` refusal."""
    if isinstance(node, Logical):
        left, right = to_query(node.left, columns, resource), to_query(node.right, columns, resource)
        return (left & right) if node.op == "and" else (left | right)
    if isinstance(node, Not):
        return ~to_query(node.inner, columns, resource)
    if isinstance(node, ValueFilter):
        raise invalid_filter(
            _("%(resource)s cannot be filtered on %(path)s[…]") % {"resource": resource, "path": node.path}
        )
    key = f"{node.path.name}.{node.path.sub}" if node.path.sub else node.path.name
    column = columns.get(key)
    if column is None:
        raise invalid_filter(
            _("%(resource)s cannot be filtered on %(path)s; filter on %(known)s")
            % {"resource": resource, "path": node.path, "known": ", ".join(sorted({k for k in columns}))}
        )

    def where(condition: Q) -> Q:
        return column.wrap(condition) if column.wrap is not None else condition

    present = where(~Q(**{f"{column.column}__isnull": True}) & ~Q(**{column.column: ""}))
    if isinstance(node, Present):
        return present
    if node.value is None and node.op in ("eq", "ne"):
        return ~present if node.op == "eq" else present
    if node.op not in ("eq", "ne", "co", "sw", "ew") or (column.identifier and node.op not in ("eq", "ne")):
        raise invalid_filter(
            _("the operator %(op)s is not supported on %(path)s") % {"op": node.op, "path": node.path}
        )
    if isinstance(node.value, bool) or not isinstance(node.value, str | int | float):
        raise invalid_filter(_("%(path)s is compared with a string") % {"path": node.path})
    value = str(node.value)
    lookup = _LOOKUPS["eq" if node.op == "ne" else node.op]
    if not column.case_exact and not column.identifier:
        lookup = "i" + lookup
    if column.identifier:
        try:
            value, lookup = str(uuid.UUID(value)), "exact"
        except ValueError:
            value, lookup = "", "in"  # not an id: matches nothing
    condition = where(Q(**{f"{column.column}__{lookup}": [] if lookup == "in" else value}))
    return ~condition if node.op == "ne" else condition
