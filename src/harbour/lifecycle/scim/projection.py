"""``attributes`` and ``excludedAttributes`` (RFC 7644 §3.4.2.5): which attributes a response carries.
``id`` and ``schemas`` are always returned."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from harbour.lifecycle.scim.errors import ScimError, invalid_value
from harbour.lifecycle.scim.filters import SCHEMAS, parse_attr_path

ALWAYS = ("schemas", "id")


@dataclass(frozen=True)
class Wanted:
    schema: str  # "" for the core schema, else the extension URN as written in the document
    name: str  # lower-case; "" for a whole extension
    sub: str


def _parse(text: str | None) -> list[Wanted]:
    wanted = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        whole = next((s for s in SCHEMAS if s.lower() == item.lower()), None)
        if whole is not None:
            wanted.append(Wanted(whole, "", ""))
            continue
        try:
            path = parse_attr_path(item)
        except ScimError:
            raise invalid_value(_("%(item)r is not an attribute name") % {"item": item}) from None
        schema = next((s for s in SCHEMAS if s.lower() == path.schema), "")
        core = schema.endswith(":core:2.0:User") or schema.endswith(":core:2.0:Group")
        wanted.append(Wanted("" if core else schema, path.name, path.sub))
    return wanted


@dataclass(frozen=True)
class Projection:
    attributes: tuple[Wanted, ...] = ()
    excluded: tuple[Wanted, ...] = ()

    @classmethod
    def parse(cls, attributes: str | None, excluded: str | None) -> Projection:
        return cls(tuple(_parse(attributes)), tuple(_parse(excluded)))

    def includes(self, name: str) -> bool:
        """Is the (core) attribute ``name`` part of the response? (Lets a Group skip loading members.)"""
        lowered = name.lower()
        if any(w.schema == "" and w.name == lowered and not w.sub for w in self.excluded):
            return False
        return not self.attributes or any(w.schema == "" and w.name == lowered for w in self.attributes)

    def apply(self, doc: dict[str, Any]) -> dict[str, Any]:
        if not self.attributes and not self.excluded:
            return doc
        if self.attributes:
            out = {key: doc[key] for key in ALWAYS if key in doc}
            for wanted in self.attributes:
                _copy(doc, out, wanted)
        else:
            out = copy.deepcopy(doc)
        for wanted in self.excluded:
            _drop(out, wanted)
        return out


def _container(doc: dict[str, Any], schema: str) -> dict[str, Any] | None:
    if not schema:
        return doc
    found = next((v for k, v in doc.items() if k.lower() == schema.lower()), None)
    return found if isinstance(found, dict) else None


def _key(container: dict[str, Any], name: str) -> str | None:
    return next((k for k in container if k.lower() == name), None)


def _only(value: Any, sub: str) -> Any:
    if isinstance(value, dict):
        key = _key(value, sub)
        return {key: value[key]} if key is not None else None
    if isinstance(value, list):
        picked = [_only(v, sub) for v in value]
        return [p for p in picked if p] or None
    return None


def _copy(doc: dict[str, Any], out: dict[str, Any], wanted: Wanted) -> None:
    source = _container(doc, wanted.schema)
    if source is None:
        return
    if wanted.schema:
        ext_key = next(k for k in doc if k.lower() == wanted.schema.lower())
        target = out.setdefault(ext_key, {})
        if not wanted.name:
            target.update(copy.deepcopy(source))
            return
    else:
        target = out
    key = _key(source, wanted.name)
    if key is None:
        return
    value = copy.deepcopy(source[key]) if not wanted.sub else _only(source[key], wanted.sub)
    if value is None:
        return
    if wanted.sub and isinstance(target.get(key), dict) and isinstance(value, dict):
        target[key].update(value)
    else:
        target[key] = value


def _drop(out: dict[str, Any], wanted: Wanted) -> None:
    if not wanted.schema and wanted.name in ALWAYS:
        return
    if wanted.schema and not wanted.name:
        key = next((k for k in out if k.lower() == wanted.schema.lower()), None)
        if key is not None:
            out.pop(key)
        return
    container = _container(out, wanted.schema)
    if container is None:
        return
    key = _key(container, wanted.name)
    if key is None:
        return
    if not wanted.sub:
        container.pop(key)
        return
    value = container[key]
    for element in value if isinstance(value, list) else [value]:
        if isinstance(element, dict):
            sub = _key(element, wanted.sub)
            if sub is not None:
                element.pop(sub)
