"""Permission codes of security training. Checking in and taking a session's quiz need none: being in the
session's audience is the right (self-service); a session's trainer may mark its attendance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from harbour.core.permissions import register_permissions
from harbour.directory.permission_codes import extend_builtin_role

register_permissions(
    {
        "training.view": _("See security training sessions, attendance, quiz results and evidence"),
        "training.manage": _("Run security training: programmes, sessions, quizzes and attendance"),
    }
)

ADMINISTRATOR_TRAINING_PERMISSIONS = ["training.view", "training.manage"]

extend_builtin_role("administrator", ADMINISTRATOR_TRAINING_PERMISSIONS)
