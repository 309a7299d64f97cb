"""API permission scopes (reference §2) the emulator checks per route, and the personal-information scopes
without which ``mobile``/``email`` are silently left out of user objects."""

from __future__ import annotations

DEPARTMENT_LIST = "qyapi_get_department_list"
DEPARTMENT_MEMBER = "qyapi_get_department_member"
MEMBER = "qyapi_get_member"
MANAGE_ADDRESSLIST = "qyapi_manage_addresslist"
WORKFLOW_WRITE = "Workflow.Instance.Write"
WORKFLOW_READ = "Workflow.Instance.Read"
CONFERENCE_WRITE = "VideoConference.Conference.Write"
FILE_AUDIT_READ = "Custom.OpFileAudit.Read"

# Field → scope needed to see it (the emulator's names for DingTalk's personal-information permissions).
PERSONAL_FIELDS = {"mobile": "Contact.User.mobile", "email": "Contact.User.email"}

ALL_SCOPES = frozenset(
    {
        DEPARTMENT_LIST,
        DEPARTMENT_MEMBER,
        MEMBER,
        MANAGE_ADDRESSLIST,
        WORKFLOW_WRITE,
        WORKFLOW_READ,
        CONFERENCE_WRITE,
        FILE_AUDIT_READ,
        *PERSONAL_FIELDS.values(),
    }
)
