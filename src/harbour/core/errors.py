"""Domain exceptions. One handler (``core.problems``) turns them into HTTP, console and CLI messages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class HarbourError(Exception):
    """A refusal a person can read: ``message`` says what is wrong, ``field`` names where."""

    status = 400
    title: str | Promise = _("Bad request")
    slug = "bad-request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(HarbourError):
    """Missing, in another tenant, or not visible to the actor: deliberately indistinguishable."""

    status = 404
    title = _("Not found")
    slug = "not-found"


class NotAuthenticated(HarbourError):
    status = 401
    title = _("Authentication required")
    slug = "not-authenticated"


class Forbidden(HarbourError):
    status = 403
    title = _("Forbidden")
    slug = "forbidden"


class NotEntitled(HarbourError):
    status = 403
    title = _("Not included in the plan")
    slug = "not-entitled"


class Invalid(HarbourError):
    status = 422
    title = _("Invalid input")
    slug = "invalid"


class Conflict(HarbourError):
    status = 409
    title = _("Conflict")
    slug = "conflict"


class QuotaExceeded(HarbourError):
    status = 409
    title = _("Quota exceeded")
    slug = "quota-exceeded"


class UnscopedQuery(RuntimeError):
    """Raised when tenant-owned rows are read without first choosing a tenant: a programming error."""
