"""SCIM's error resource (RFC 7644 §3.12): how every refusal of ``/scim/v2`` is answered."""

from __future__ import annotations

from harbour.core.errors import Conflict, HarbourError, Invalid, NotAuthenticated, NotFound

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

# Harbour fields whose clash is a SCIM uniqueness error (the address, the employee number, the
# externalId, a department's name among its siblings).
UNIQUE_FIELDS = {"email", "employee_number", "externalId", "name", "userName", "displayName"}


class ScimError(Exception):
    """A refusal in SCIM's terms: HTTP status, an optional ``scimType`` and a detail a person can read."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def mutability(detail: str) -> ScimError:
    return ScimError(400, detail, "mutability")


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)


def from_harbour(error: HarbourError) -> ScimError:
    """A directory or lifecycle refusal in SCIM's terms (the action has changed nothing)."""
    where = f" ({error.field})" if error.field else ""
    if isinstance(error, NotFound):
        return ScimError(404, error.message)
    if isinstance(error, NotAuthenticated):
        return ScimError(401, error.message)
    if isinstance(error, Conflict) and error.field in UNIQUE_FIELDS:
        return ScimError(409, error.message + where, "uniqueness")
    if isinstance(error, Invalid):
        return ScimError(400, error.message + where, "invalidValue")
    return ScimError(error.status, error.message + where)
