"""Console URL-matrix rows for the policies pages: "My policies", reading and acknowledging for any member
in scope; the officer pages for holders of ``policy.view``/``policy.manage``."""

from __future__ import annotations

import uuid

from django.urls import reverse

from tests.console.test_url_matrix import Row
from tests.factories import Company

TEXT = {
    "title_en": "Matrix policy",
    "title_zh": "矩陣政策",
    "body_en": "Read me.",
    "body_zh": "請閱讀。",
    "change_summary": "First",
}


def _document(c: Company) -> str:
    """An "other" policy of the company with a version published to everyone (made on first use)."""
    from harbour.policies.models import PolicyDocument

    found = PolicyDocument.objects.for_tenant(c.tenant).filter(name="Matrix policy").first()
    if found is None:
        from harbour.policies.actions import create_document, draft_version, publish_version

        found = create_document(c.system, kind="other", name="Matrix policy")
        publish_version(c.system, draft_version(c.system, found, **TEXT), deadline_days=14)
    return str(found.pk)


def _published(c: Company) -> str:
    from harbour.policies.models import PolicyVersion

    return str(PolicyVersion.objects.for_tenant(c.tenant).get(document_id=_document(c), state="published").pk)


def _draft(c: Company) -> str:
    from harbour.policies.actions import create_document, draft_version
    from harbour.policies.models import PolicyVersion

    found = PolicyVersion.objects.for_tenant(c.tenant).filter(state="draft").first()
    if found is None:
        document = create_document(c.system, kind="other", name=f"Matrix draft {uuid.uuid4().hex[:6]}")
        found = draft_version(c.system, document, **TEXT)
    return str(found.pk)


ROWS: dict[str, Row] = {
    "policies:mine": Row(lambda c: reverse("policies:mine"), self_service=True),
    "policies:read": Row(
        lambda c: reverse("policies:read", args=[_published(c)]), self_service=True, foreign_object=True
    ),
    "policies:acknowledge": Row(
        lambda c: reverse("policies:acknowledge", args=[_published(c)]),
        "post",
        self_service=True,
        foreign_object=True,
    ),
    "policies:documents": Row(lambda c: reverse("policies:documents")),
    "policies:create_default": Row(lambda c: reverse("policies:create_default"), "post"),
    "policies:document": Row(
        lambda c: reverse("policies:document", args=[_document(c)]), foreign_object=True
    ),
    "policies:new_version": Row(
        lambda c: reverse("policies:new_version", args=[_document(c)]), "post", foreign_object=True
    ),
    "policies:version": Row(lambda c: reverse("policies:version", args=[_published(c)]), foreign_object=True),
    "policies:edit_version": Row(
        lambda c: reverse("policies:edit_version", args=[_draft(c)]), foreign_object=True
    ),
    "policies:publish": Row(lambda c: reverse("policies:publish", args=[_draft(c)]), foreign_object=True),
    "policies:version_csv": Row(
        lambda c: reverse("policies:version_csv", args=[_published(c)]), foreign_object=True
    ),
}
