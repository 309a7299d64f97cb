"""Who holds the collaborator permissions: every built-in role may sponsor, managers and administrators
approve — in new companies (the roles as created) and existing ones (the data migration)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from harbour.directory.models import BuiltinRole, Role
from tests.factories import Company

MIGRATION = importlib.import_module(
    "harbour.collaborators.migrations.0002_builtin_roles_collaborator_permissions"
)
EXPECTED = {
    BuiltinRole.ADMINISTRATOR: {"collaborator.request", "collaborator.approve"},
    BuiltinRole.DEPARTMENT_MANAGER: {"collaborator.request", "collaborator.approve"},
    BuiltinRole.GENERAL_MEMBER: {"collaborator.request"},
}


def _collaborator_codes(role: Role) -> set[str]:
    return {code for code in role.permissions if code.startswith("collaborator.")}


def test_new_companies_get_the_permissions_with_their_roles(company: Company) -> None:
    for builtin, codes in EXPECTED.items():
        assert _collaborator_codes(company.roles[builtin]) == codes


def test_the_migration_gives_existing_roles_the_permissions_once(company: Company) -> None:
    for role in company.roles.values():
        role.permissions = [p for p in role.permissions if not p.startswith("collaborator.")]
        role.save(update_fields=["permissions"])
    custom = Role.objects.create(tenant=company.tenant, name="Auditors", permissions=["audit.view"])
    editor = SimpleNamespace(connection=connection)
    historical = MigrationLoader(connection).project_state(
        ("collaborators", MIGRATION.__name__.rsplit(".", 1)[-1])
    )
    MIGRATION.forwards(historical.apps, editor)
    MIGRATION.forwards(historical.apps, editor)  # twice: nothing is added twice
    for builtin, codes in EXPECTED.items():
        role = Role.objects.for_tenant(company.tenant).get(builtin=builtin)
        assert _collaborator_codes(role) == codes
        assert len(role.permissions) == len(set(role.permissions))
    custom.refresh_from_db()
    assert custom.permissions == ["audit.view"]  # custom roles are the administrator's to change
