"""Console forms of the directory: they parse and type what a person typed; the actions decide what is
allowed. A refused action's ``HarbourError.field`` is put back next to the matching form field."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harbour.core.errors import HarbourError
from harbour.core.models import Locale, RegistrationLocation, StorageRegion, Tenant
from harbour.core.permissions import PERMISSIONS
from harbour.core.time import HONG_KONG
from harbour.directory.models import Department, Member, MemberState, Role

# The names actions give fields (API style) → the console form field they belong to.
FIELD_ALIASES: dict[str, str] = {
    "parent_id": "parent",
    "department_ids": "departments",
    "manager_id": "manager",
    "scope_department_id": "scope",
    "role_id": "role",
    "access_expires_at": "access_expires_on",
    "expires_at": "expires_on",
}

Choices = list[tuple[str, str | Promise]]


def end_of_day(day: dt.date) -> dt.datetime:
    """An end date means "through that day" in Hong Kong."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=HONG_KONG)


def local_date(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(HONG_KONG).date() if value is not None else None


def department_choices(departments: Iterable[Department]) -> Choices:
    """Options in tree order, indented by depth (relative to the shallowest one offered)."""
    departments = list(departments)
    top = min((d.depth for d in departments), default=0)
    return [(str(d.pk), "\u2003" * (d.depth - top) + d.name) for d in departments]


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class ActionForm(forms.Form):
    """A form whose domain errors land next to the field the action names (else above the form)."""

    extra_aliases: ClassVar[dict[str, str]] = {}

    def add_domain_error(self, exc: HarbourError) -> None:
        name = exc.field or ""
        name = self.extra_aliases.get(name, FIELD_ALIASES.get(name, name))
        self.add_error(name if name in self.fields else None, exc.message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


# ------------------------------------------------------------------------------------------ departments
class DepartmentCreateForm(ActionForm):
    name = forms.CharField(label=_("Name (English)"), max_length=120)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120, required=False)
    parent = forms.ChoiceField(label=_("Inside"), required=False)

    def __init__(self, *args: Any, parents: Choices, allow_top_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top: Choices = [("", _("— Top level —"))] if allow_top_level else []
        _choice_field(self, "parent").choices = top + parents
        self.fields["parent"].required = not allow_top_level


class DepartmentRenameForm(ActionForm):
    name = forms.CharField(label=_("Name (English)"), max_length=120)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120, required=False)


class DepartmentMoveForm(ActionForm):
    parent = forms.ChoiceField(label=_("New place"), required=False)
    position = forms.IntegerField(
        label=_("Position among its new siblings"),
        required=False,
        min_value=1,
        help_text=_("1 is first; leave empty to put it last."),
    )

    def __init__(self, *args: Any, parents: Choices, allow_top_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        top: Choices = [("", _("— Top level —"))] if allow_top_level else []
        _choice_field(self, "parent").choices = top + parents
        self.fields["parent"].required = not allow_top_level

    def zero_based_position(self) -> int | None:
        position = self.cleaned_data.get("position")
        return None if position is None else position - 1


# ---------------------------------------------------------------------------------------------- members
class MemberFilterForm(forms.Form):
    """The search box and filters above the member list (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=150,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, 中文名, email, employee no. or title")}
        ),
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    external = forms.ChoiceField(
        label=_("Collaborators"),
        required=False,
        choices=[("", _("Everyone")), ("no", _("Staff only")), ("yes", _("External only"))],
    )

    def __init__(self, *args: Any, departments: Choices, show_state: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "department").choices = [("", _("All departments")), *departments]
        if show_state:
            _choice_field(self, "state").choices = [("", _("Any state")), *MemberState.choices]
        else:
            del self.fields["state"]

    def is_external(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("external") or "")


class MemberForm(ActionForm):
    """Invite (all fields) and edit (``editing=True``) a member."""

    email = forms.EmailField(label=_("Work email"), max_length=254)
    name = forms.CharField(label=_("Name (English)"), max_length=150)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        initial="+852 ",
        help_text=_("Numbers without a country code are taken as Hong Kong (+852)."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    employee_number = forms.CharField(label=_("Employee number"), max_length=40, required=False)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    departments = forms.MultipleChoiceField(
        label=_("Departments"),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several; the first in the list is the primary one."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    manager = forms.EmailField(
        label=_("Manager"),
        required=False,
        help_text=_("The manager's work email."),
        widget=forms.EmailInput(attrs={"list": "manager-options", "autocomplete": "off"}),
    )
    hire_date = forms.DateField(label=_("Hire date"), required=False, widget=DateInput())
    is_external = forms.BooleanField(label=_("External collaborator"), required=False)
    access_expires_on = forms.DateField(
        label=_("Access ends after"),
        required=False,
        widget=DateInput(),
        help_text=_("For external collaborators; without a date their access ends after 7 days."),
    )

    extra_aliases: ClassVar[dict[str, str]] = {"department_ids": "departments"}

    def __init__(self, *args: Any, departments: Choices, departments_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "departments").choices = departments
        self.fields["departments"].required = departments_required

    def clean_mobile(self) -> str:
        mobile: str = self.cleaned_data.get("mobile", "").strip()
        return "" if mobile in {"+852", "852"} else mobile

    def clean_manager(self) -> str:
        return (self.cleaned_data.get("manager") or "").strip().lower()

    def access_expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("access_expires_on")
        return end_of_day(day) if day else None

    @staticmethod
    def initial_for(member: Member) -> dict[str, Any]:
        return {
            "email": member.email,
            "name": member.name,
            "name_zh": member.name_zh,
            "mobile": member.mobile,
            "employee_number": member.employee_number or "",
            "title": member.title,
            "departments": [str(d) for d in member.department_ids()],
            "manager": member.manager.email if member.manager_id and member.manager else "",
            "hire_date": member.hire_date,
            "is_external": member.is_external,
            "access_expires_on": local_date(member.access_expires_at),
        }


class ConfirmForm(ActionForm):
    """A confirmation with nothing to type: it only carries the action's refusal, if any."""


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (kept in the operation log)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(),
    )


# ------------------------------------------------------------------------------------------------ roles
class GrantForm(ActionForm):
    role = forms.ChoiceField(label=_("Role"))
    scope = forms.ChoiceField(
        label=_("Over department"),
        required=False,
        help_text=_("Roles marked “per department” need one; others apply company-wide when left empty."),
    )
    expires_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("The role ends after this day (Hong Kong time)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(
        self, *args: Any, roles: Sequence[Role], scopes: Choices, allow_tenant_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "role").choices = [("", _("— Choose a role —"))] + [
            (str(r.pk), _role_choice_label(r)) for r in roles
        ]
        none: Choices = [("", _("— Whole company —"))] if allow_tenant_wide else []
        _choice_field(self, "scope").choices = none + scopes
        self.fields["scope"].required = not allow_tenant_wide

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        return end_of_day(day) if day else None


@dataclass(frozen=True)
class PermissionRow:
    code: str
    description: str | Promise
    checked: bool
    own_checked: bool


def _role_choice_label(role: Role) -> str:
    if role.requires_scope:
        return _("%(name)s (per department)") % {"name": role.display_name}
    return role.display_name


def permission_choices() -> Choices:
    codes = sorted(PERMISSIONS)
    return [(c, PERMISSIONS[c]) for c in codes] + [(f"own:{c}", PERMISSIONS[c]) for c in codes]


class RoleForm(ActionForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requires_scope = forms.BooleanField(
        label=_("Granted per department"),
        required=False,
        help_text=_("Each grant names the department subtree it covers."),
    )
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, builtin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "permissions").choices = permission_choices()
        self.builtin = builtin
        if builtin:  # only the description of a built-in role may change
            for name in ("name", "requires_scope", "permissions"):
                self.fields[name].disabled = True

    def permission_rows(self) -> list[PermissionRow]:
        chosen = set(self["permissions"].value() or [])
        return [
            PermissionRow(code, PERMISSIONS[code], code in chosen, f"own:{code}" in chosen)
            for code in sorted(PERMISSIONS)
        ]

    @staticmethod
    def initial_for(role: Role) -> dict[str, Any]:
        return {
            "name": role.name,
            "description": role.description,
            "requires_scope": role.requires_scope,
            "permissions": list(role.permissions),
        }


# --------------------------------------------------------------------------------------------- tenants
def _time_zone_choices() -> Choices:
    return [(z, z) for z in sorted(zoneinfo.available_timezones())]


class TenantProfileForm(ActionForm):
    display_name = forms.CharField(label=_("Display name"), max_length=200)
    registered_name = forms.CharField(label=_("Registered name"), max_length=200, required=False)
    br_number = forms.CharField(label=_("Business Registration number"), max_length=20, required=False)
    registration_location = forms.ChoiceField(label=_("Registered in"), choices=RegistrationLocation.choices)
    data_storage_region = forms.ChoiceField(label=_("Data stored in"), choices=StorageRegion.choices)
    contracting_entity = forms.CharField(label=_("Contracting entity"), max_length=200, required=False)
    local_contact_address = forms.CharField(
        label=_("Local contact address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    email_domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. When set, only addresses at these domains may hold work accounts."),
    )
    locale = forms.ChoiceField(label=_("Language"), choices=Locale.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Asia/Hong_Kong")

    PROFILE_FIELDS: ClassVar[tuple[str, ...]] = Tenant.PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "time_zone").choices = _time_zone_choices()

    def clean_email_domains(self) -> list[str]:
        text: str = self.cleaned_data.get("email_domains", "")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def profile(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PROFILE_FIELDS}

    @classmethod
    def initial_for(cls, tenant: Tenant) -> dict[str, Any]:
        initial = {name: getattr(tenant, name) for name in cls.PROFILE_FIELDS}
        initial["email_domains"] = "\n".join(tenant.email_domains)
        return initial


class TenantCreateForm(TenantProfileForm):
    slug = forms.CharField(
        label=_("Short name"),
        max_length=63,
        help_text=_("Lowercase letters, digits and hyphens; used in addresses. Cannot be changed later."),
    )

    field_order = ["slug", "display_name"]


# -------------------------------------------------------------------------------------------- own profile
class ProfileForm(ActionForm):
    """What a member may change about themselves: how their name is written and their mobile number."""

    name = forms.CharField(label=_("Name (English)"), max_length=150)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        help_text=_("Numbers without a country code are +852."),
    )

    @staticmethod
    def initial_for(member: Member) -> dict[str, Any]:
        return {"name": member.name, "name_zh": member.name_zh, "mobile": member.mobile}
