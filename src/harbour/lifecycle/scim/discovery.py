"""Discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas.

The schema documents are built from ``scim2-models``' definitions of RFC 7643 and pruned to the attributes
Harbour keeps, so a client reading them learns what Harbour really stores (a User's phone numbers or
addresses are accepted and ignored, and not advertised).
"""

from __future__ import annotations

import functools
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Patch,
    ResourceType,
    ServiceProviderConfig,
    Sort,
    User,
)

from harbour.lifecycle.scim.filters import CORE_GROUP, CORE_USER, ENTERPRISE

MAX_RESULTS = 200
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

# Attribute → the sub-attributes kept (None: a simple attribute).
KEPT: dict[str, dict[str, tuple[str, ...] | None]] = {
    CORE_USER: {
        "userName": None,
        "name": ("formatted", "givenName", "familyName"),
        "displayName": None,
        "title": None,
        "active": None,
        "emails": ("value", "type", "primary"),
        "groups": ("value", "$ref", "display"),
    },
    ENTERPRISE: {"employeeNumber": None, "department": None, "manager": ("value", "$ref", "displayName")},
    CORE_GROUP: {"displayName": None, "members": ("value", "$ref", "display", "type")},
}
NOTES = {
    (CORE_USER, "userName"): "The work email address: unique in the company, and the account's one address.",
    (
        CORE_USER,
        "active",
    ): "False freezes the account as a leaver; true brings a frozen account back (rehire).",
    (ENTERPRISE, "department"): "The name (or path, 'Finance / Accounts Payable') of an existing department.",
    (ENTERPRISE, "manager"): "The manager's id (a User of the same company).",
    (CORE_GROUP, "displayName"): "The department's name.",
}


def _dump(model: Any) -> dict[str, Any]:
    return dict(model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _meta(base: str, resource_type: str, path: str) -> dict[str, str]:
    return {"resourceType": resource_type, "location": f"{base}/{path}"}


def service_provider_config(base: str) -> dict[str, Any]:
    doc = _dump(
        ServiceProviderConfig(
            patch=Patch(supported=True),
            bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
            filter=Filter(supported=True, max_results=MAX_RESULTS),
            change_password=ChangePassword(supported=False),
            sort=Sort(supported=False),
            etag=ETag(supported=True),
            authentication_schemes=[
                AuthenticationScheme(
                    type=AuthenticationScheme.Type.oauthbearertoken,
                    name="Bearer token",
                    description="A SCIM token minted by the company's administrator (console or "
                    "`harbour scim token`), sent as Authorization: Bearer <token>.",
                    primary=True,
                )
            ],
        )
    )
    doc["meta"] = _meta(base, "ServiceProviderConfig", "ServiceProviderConfig")
    return doc


@functools.cache
def _schemas() -> tuple[dict[str, Any], ...]:
    documents = []
    for schema_id, model in ((CORE_USER, User), (ENTERPRISE, EnterpriseUser), (CORE_GROUP, Group)):
        doc = _dump(model.to_schema())
        kept = KEPT[schema_id]
        attributes = []
        for attribute in doc["attributes"]:
            if attribute["name"] not in kept:
                continue
            subs = kept[attribute["name"]]
            if subs is not None:
                attribute["subAttributes"] = [
                    s for s in attribute.get("subAttributes", []) if s["name"] in subs
                ]
            note = NOTES.get((schema_id, attribute["name"]))
            if note:
                attribute["description"] = note
            attributes.append(attribute)
        doc["attributes"] = attributes
        documents.append(doc)
    return tuple(documents)


def schemas(base: str) -> list[dict[str, Any]]:
    return [{**doc, "meta": _meta(base, "Schema", f"Schemas/{doc['id']}")} for doc in _schemas()]


def resource_types(base: str) -> list[dict[str, Any]]:
    user = _dump(ResourceType.from_resource(User[EnterpriseUser]))
    group = _dump(ResourceType.from_resource(Group))
    return [
        {**user, "meta": _meta(base, "ResourceType", "ResourceTypes/User")},
        {**group, "meta": _meta(base, "ResourceType", "ResourceTypes/Group")},
    ]
