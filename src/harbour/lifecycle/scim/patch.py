"""PATCH operations (RFC 7644 §3.5.2) applied to a resource's SCIM document.

A User is patched as a document: the current representation, the operations applied to it in order, and
the result handed to the same code a PUT uses — so a PATCH can do nothing a PUT cannot. What identity
providers send is taken as they send it: ``op`` in any case ("Replace", as Entra ID writes it), with or
without ``path`` (without, ``value`` is an object of attributes, whose keys may themselves be paths such as
``name.givenName`` or carry a schema URN), and values of multi-valued attributes as a list or a single
object. Attribute names are case-insensitive; they are brought to their canonical spelling first.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _

from harbour.lifecycle.scim.errors import ScimError, invalid_syntax, invalid_value, no_target
from harbour.lifecycle.scim.filters import (
    CORE_USER,
    ENTERPRISE,
    Compare,
    Logical,
    PatchPath,
    matches,
    parse_patch_path,
)

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
OPS = ("add", "replace", "remove")
MAX_OPERATIONS = 1000

# Canonical spelling of the attributes Harbour reads, by lower-cased name: name → (spelling, sub-attributes).
Table = dict[str, tuple[str, "Table | None"]]


def _table(*names: str, **complex_: Table) -> Table:
    table: Table = {name.lower(): (name, None) for name in names}
    for name, sub in complex_.items():
        table[name.lower()] = (name, sub)
    return table


USER_CORE: Table = _table(
    "id",
    "externalId",
    "userName",
    "displayName",
    "nickName",
    "title",
    "active",
    "schemas",
    "meta",
    name=_table("formatted", "givenName", "familyName", "middleName", "honorificPrefix", "honorificSuffix"),
    emails=_table("value", "type", "primary", "display"),
    groups=_table("value", "$ref", "display", "type"),
)
USER_ENTERPRISE: Table = _table(
    "employeeNumber",
    "department",
    "costCenter",
    "organization",
    "division",
    manager=_table("value", "$ref", "displayName"),
)
MULTI_VALUED = frozenset(
    {"emails", "groups", "members", "phoneNumbers", "addresses", "roles", "entitlements"}
)
EXTENSIONS: dict[str, tuple[str, Table]] = {ENTERPRISE.lower(): (ENTERPRISE, USER_ENTERPRISE)}


def canonical(doc: dict[str, Any], table: Table = USER_CORE) -> dict[str, Any]:
    """The document with known attribute names in their canonical spelling (unknown ones kept as sent)."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        lowered = str(key).lower()
        if table is USER_CORE and lowered in EXTENSIONS:
            name, sub_table = EXTENSIONS[lowered]
            out[name] = canonical(value, sub_table) if isinstance(value, dict) else value
            continue
        name, sub = table.get(lowered, (key, None))
        if sub is not None and isinstance(value, dict):
            value = canonical(value, sub)
        elif sub is not None and isinstance(value, list):
            value = [canonical(v, sub) if isinstance(v, dict) else v for v in value]
        out[name] = value
    return out


def _spelling(path: PatchPath) -> tuple[str, Table | None]:
    """The path's attribute in its canonical spelling, and the spelling table of its sub-attributes."""
    if path.schema and path.schema in EXTENSIONS:
        table = EXTENSIONS[path.schema][1]
    elif path.schema and path.schema != CORE_USER.lower():
        raise ScimError(
            400, _("the schema %(urn)s is not one Harbour knows") % {"urn": path.schema}, "invalidPath"
        )
    else:
        table = USER_CORE
    return table.get(path.name, (path.name, None))


def _container(doc: dict[str, Any], path: PatchPath) -> dict[str, Any]:
    if path.schema and path.schema in EXTENSIONS:
        name = EXTENSIONS[path.schema][0]
        ext = doc.get(name)
        if not isinstance(ext, dict):
            ext = doc[name] = {}
        return ext
    return doc


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _same_element(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict) and "value" in a and "value" in b:
        return str(a["value"]).lower() == str(b["value"]).lower()
    return bool(a == b)


def _apply_path(doc: dict[str, Any], op: str, path: PatchPath, value: Any) -> None:
    container = _container(doc, path)
    if not path.name:  # the whole extension
        if op == "remove":
            doc.pop(EXTENSIONS[path.schema][0], None)
            return
        if not isinstance(value, dict):
            raise invalid_value(_("the value for %(urn)s is an object") % {"urn": path.schema})
        for key, item in value.items():
            _apply_path(doc, op, parse_patch_path(f"{path.schema}:{key}"), item)
        return
    name, sub_table = _spelling(path)
    sub = sub_table.get(path.sub, (path.sub, None))[0] if (sub_table and path.sub) else path.sub
    if sub_table is not None and isinstance(value, dict | list):
        value = (
            canonical(value, sub_table)
            if isinstance(value, dict)
            else [canonical(v, sub_table) if isinstance(v, dict) else v for v in value]
        )
    multi = name in MULTI_VALUED
    if path.where is not None:
        _apply_filtered(container, op, name, path, sub, value)
        return
    if sub:
        current = container.get(name)
        if multi and isinstance(current, list):  # emails.value: every element
            for element in current:
                if isinstance(element, dict):
                    if op == "remove":
                        element.pop(sub, None)
                    else:
                        element[sub] = value
            return
        if not isinstance(current, dict):
            if op == "remove":
                return
            current = container[name] = {}
        if op == "remove":
            current.pop(sub, None)
        else:
            current[sub] = value
        return
    if op == "remove":
        if multi and value is not None and isinstance(container.get(name), list):
            gone = _as_list(value)
            container[name] = [e for e in container[name] if not any(_same_element(e, g) for g in gone)]
        else:
            container.pop(name, None)
        return
    if multi and op == "add":
        existing = container.get(name)
        items: list[Any] = existing if isinstance(existing, list) else []
        for item in _as_list(value):
            if name == "emails" and isinstance(item, dict):
                # One address per type: a new work address replaces the old one rather than joining it.
                kind = str(item.get("type") or "").lower()
                items = [
                    e for e in items if not (isinstance(e, dict) and str(e.get("type") or "").lower() == kind)
                ]
            if not any(_same_element(item, e) for e in items):
                items.append(item)
        container[name] = items
        return
    if multi:
        container[name] = _as_list(value)
        return
    if op == "add" and isinstance(value, dict) and isinstance(container.get(name), dict):
        container[name].update(value)
        return
    container[name] = value


def _apply_filtered(
    container: dict[str, Any], op: str, name: str, path: PatchPath, sub: str, value: Any
) -> None:
    assert path.where is not None
    elements = container.get(name)
    elements = elements if isinstance(elements, list) else []
    chosen = [e for e in elements if isinstance(e, dict) and matches(path.where, e)]
    if op == "remove":
        if sub:
            for element in chosen:
                element.pop(sub, None)
        else:
            container[name] = [e for e in elements if not any(e is c for c in chosen)]
        return
    if not chosen:
        if op == "replace" and not sub:
            raise no_target(_("no element of %(name)s matches %(path)s") % {"name": name, "path": path.name})
        # Entra ID adds "emails[type eq \"work\"].value" to a user with no such element: make it.
        fresh: dict[str, Any] = {}
        _seed(path.where, fresh)
        elements.append(fresh)
        container[name] = elements
        chosen = [fresh]
    for element in chosen:
        if sub:
            element[sub] = value
        elif isinstance(value, dict):
            element.update(value)
        else:
            raise invalid_value(_("the value for %(name)s[…] is an object") % {"name": name})


def _seed(node: Any, element: dict[str, Any]) -> None:
    """The equalities of a value filter, written into a new element (``type eq "work"`` → type work)."""
    if isinstance(node, Compare) and node.op == "eq":
        element[node.path.sub or node.path.name] = node.value
    elif isinstance(node, Logical) and node.op == "and":
        _seed(node.left, element)
        _seed(node.right, element)


def operations_of(body: Any) -> list[tuple[str, PatchPath | None, Any]]:
    """The request's operations, checked and parsed: (op, path or None, value)."""
    if not isinstance(body, dict):
        raise invalid_syntax(_("a PATCH body is a JSON object"))
    lowered = {str(k).lower(): v for k, v in body.items()}
    schemas = lowered.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or PATCH_SCHEMA not in schemas):
        raise invalid_syntax(_("a PATCH body names the schema %(urn)s") % {"urn": PATCH_SCHEMA})
    raw = lowered.get("operations")
    if not isinstance(raw, list) or not raw:
        raise invalid_syntax(_("a PATCH body has a non-empty Operations list"))
    if len(raw) > MAX_OPERATIONS:
        raise invalid_syntax(_("at most %(n)d operations per request") % {"n": MAX_OPERATIONS})
    parsed: list[tuple[str, PatchPath | None, Any]] = []
    for operation in raw:
        if not isinstance(operation, dict):
            raise invalid_syntax(_("each operation is a JSON object"))
        fields = {str(k).lower(): v for k, v in operation.items()}
        op = str(fields.get("op") or "").lower()
        if op not in OPS:
            raise invalid_syntax(_("op is add, replace or remove, not %(op)r") % {"op": fields.get("op")})
        path_text = fields.get("path")
        if path_text is not None and not isinstance(path_text, str):
            raise ScimError(400, _("path is a string"), "invalidPath")
        path = parse_patch_path(path_text) if path_text else None
        if path is None and op == "remove":
            raise no_target(_("a remove operation names a path"))
        if path is None and not isinstance(fields.get("value"), dict):
            raise invalid_value(_("an operation without a path has an object of attributes as its value"))
        if op != "remove" and "value" not in fields:
            raise invalid_value(_("an %(op)s operation has a value") % {"op": op})
        parsed.append((op, path, fields.get("value")))
    return parsed


def apply_operations(
    doc: dict[str, Any], operations: list[tuple[str, PatchPath | None, Any]]
) -> dict[str, Any]:
    """The document after the operations (the given one is left as it was)."""
    result = copy.deepcopy(doc)
    for op, path, value in operations:
        if path is not None:
            _apply_path(result, op, path, value)
            continue
        for key, item in value.items():
            lowered = str(key).lower()
            if lowered in EXTENSIONS and isinstance(item, dict):
                for sub_key, sub_value in item.items():
                    _apply_path(result, op, parse_patch_path(f"{lowered}:{sub_key}"), sub_value)
            else:
                _apply_path(result, op, parse_patch_path(str(key)), item)
    return result
