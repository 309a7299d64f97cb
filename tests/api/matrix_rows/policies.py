"""Permission-matrix rows for the policies routes: documents and versions for those holding
``policy.view``/``policy.manage`` (the Administrator); pending policies and acknowledging for any member a
published version addresses (here: everyone)."""

from __future__ import annotations

import uuid

from tests.api.conftest import World
from tests.api.test_permission_matrix import WRITERS, Call, Row

TEXT = {
    "title_en": "Matrix policy",
    "title_zh": "矩陣政策",
    "body_en": "Read me.",
    "body_zh": "請閱讀。",
    "change_summary": "First",
}


def _blank_document(w: World) -> str:
    """An "other" policy of company A with no version yet (made on first use)."""
    from harbour.policies.actions import create_document
    from harbour.policies.models import PolicyDocument

    found = PolicyDocument.objects.for_tenant(w.a.tenant).filter(name="Matrix blank").first()
    return str((found or create_document(w.a.system, kind="other", name="Matrix blank")).pk)


def _draft(w: World) -> str:
    """A draft of company A, ready to publish (made on first use)."""
    from harbour.policies.actions import create_document, draft_version
    from harbour.policies.models import PolicyVersion

    found = (
        PolicyVersion.objects.for_tenant(w.a.tenant).filter(state="draft", document__name="Matrix").first()
    )
    if found is None:
        found = draft_version(w.a.system, create_document(w.a.system, kind="other", name="Matrix"), **TEXT)
    return str(found.pk)


def _published(w: World) -> str:
    """A version of company A published to everyone (made on first use)."""
    from harbour.policies.actions import publish_version
    from harbour.policies.models import PolicyVersion

    found = PolicyVersion.objects.for_tenant(w.a.tenant).filter(state="published").first()
    if found is None:
        draft = PolicyVersion.objects.for_tenant(w.a.tenant).get(pk=_draft(w))
        found = publish_version(w.a.system, draft, deadline_days=14)
    return str(found.pk)


def _document(w: World) -> str:
    from harbour.policies.models import PolicyVersion

    return str(PolicyVersion.objects.for_tenant(w.a.tenant).get(pk=_published(w)).document_id)


ROWS: list[Row] = [
    Row("GET", "/policies", lambda w: Call("/policies"), denied=WRITERS, other="own"),
    Row(
        "POST",
        "/policies",
        lambda w: Call("/policies", {"kind": "other", "name": f"Matrix {uuid.uuid4().hex[:8]}"}),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row(
        "POST",
        "/policies/default-conduct",
        lambda w: Call("/policies/default-conduct"),
        ok=201,
        denied=WRITERS,
        other="own",
    ),
    Row("GET", "/policies/mine/pending", lambda w: Call("/policies/mine/pending"), denied=(), other="own"),
    Row("GET", "/policies/{document_id}", lambda w: Call(f"/policies/{_document(w)}"), denied=WRITERS),
    Row(
        "POST",
        "/policies/{document_id}/versions",
        lambda w: Call(f"/policies/{_blank_document(w)}/versions", {"change_summary": "Matrix"}),
        ok=201,
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/policies/versions/{version_id}",
        lambda w: Call(f"/policies/versions/{_published(w)}"),
        denied=WRITERS,
    ),
    Row(
        "PATCH",
        "/policies/versions/{version_id}",
        lambda w: Call(f"/policies/versions/{_draft(w)}", {"change_summary": "Edited"}),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/policies/versions/{version_id}/publish",
        lambda w: Call(f"/policies/versions/{_draft(w)}/publish", {"deadline_days": 7}),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/policies/versions/{version_id}/acknowledgements",
        lambda w: Call(f"/policies/versions/{_published(w)}/acknowledgements"),
        denied=WRITERS,
    ),
    Row(
        "GET",
        "/policies/versions/{version_id}/outstanding",
        lambda w: Call(f"/policies/versions/{_published(w)}/outstanding"),
        denied=WRITERS,
    ),
    Row(
        "POST",
        "/policies/versions/{version_id}/acknowledge",
        lambda w: Call(f"/policies/versions/{_published(w)}/acknowledge"),
        denied=(),
    ),
]
