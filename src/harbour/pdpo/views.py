"""Console pages of the PDPO register: a home with counts and the gaps the compliance checks find, then a
page per register (list and a form to add), each record's page (its answers, a form to change them and,
for assessments, approval), and for every member the current PICS (their viewing is recorded)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harbour.core.compliance import Status
from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.directory.forms import ActionForm
from harbour.directory.views.base import Confirmation, ConsoleRequest, confirm, require_tenant_wide
from harbour.pdpo import actions
from harbour.pdpo.compliance_checks import CHECKS
from harbour.pdpo.forms import (
    ApproveForm,
    CategoryForm,
    ConsentForm,
    GbaForm,
    LocationForm,
    MonitoringForm,
    NoticeForm,
    ProcessorForm,
    ShownForm,
    SystemForm,
    TiaForm,
)
from harbour.pdpo.models import (
    PROCESSOR_CLAUSES,
    Approval,
    ConsentEntry,
    DataCategory,
    GbaContract,
    MonitoringAssessment,
    Notice,
    NoticeKind,
    NoticeShown,
    Processor,
    System,
    TransferAssessment,
)
from harbour.pdpo.permission_codes import APPROVE, MANAGE, VIEW
from harbour.pdpo.queries import (
    S33_IN_FORCE,
    S33_REVIEWED,
    consent_states,
    counts,
    current_notice,
    data_location,
    gba_filing_overdue,
    get_for,
    member_choices,
    members_not_shown,
    shown_to_member,
    tia_review_due,
    visible,
)
from harbour.pdpo.rendering import markdown_html

SHOWN = 500


def _require(request: ConsoleRequest, code: str = VIEW) -> None:
    require_tenant_wide(request.actor, code)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _processor_gaps(p: Processor) -> str:
    labels = {name: str(ProcessorForm.base_fields[name].label) for name in PROCESSOR_CLAUSES}
    return ", ".join(labels[name] for name in p.missing_clauses) or "—"


def _tia_state(t: TransferAssessment) -> str:
    if tia_review_due(t):
        return _("Approved — due for review")
    return str(t.get_state_display())


def _gba_state(c: GbaContract) -> str:
    if not c.eligible:
        return _("Not eligible: use the RMC 2022 model clauses")
    if gba_filing_overdue(c):
        return _("Filing overdue (due %(day)s)") % {"day": c.filing_due_on}
    if c.filed_on:
        return _("Filed on %(day)s") % {"day": c.filed_on}
    if c.filing_due_on:
        return _("File by %(day)s") % {"day": c.filing_due_on}
    return _("Eligible; not yet in effect")


@dataclass(frozen=True)
class Register:
    """One register's console pages: its model, form, save action and list columns."""

    key: str
    title: Any
    intro: Any
    model: type[Model]
    form: type[ActionForm]
    save: Callable[..., Any]
    columns: list[tuple[Any, Callable[[Any], Any]]]
    approve: Callable[..., Any] | None = None
    form_kwargs: Callable[[ConsoleRequest], dict[str, Any]] = lambda request: {}
    order: tuple[str, ...] = field(default_factory=tuple)

    @property
    def list_url(self) -> str:
        return f"pdpo:{self.key}"

    @property
    def detail_url(self) -> str:
        return f"pdpo:{DETAIL_NAMES[self.key]}"


def _members(request: ConsoleRequest) -> dict[str, Any]:
    return {"members": member_choices(request.actor.tenant_id)}


def _systems(request: ConsoleRequest) -> dict[str, Any]:
    systems = System.objects.for_tenant(request.actor.tenant_id).order_by("name")
    return {"systems": [(str(s.pk), s.name) for s in systems]}


DETAIL_NAMES = {
    "inventory": "category",
    "systems": "system",
    "tias": "tia",
    "gba": "gba_contract",
    "processors": "processor",
    "monitoring": "assessment",
}

REGISTERS: dict[str, Register] = {
    "inventory": Register(
        "inventory",
        gettext_lazy("Data inventory"),
        gettext_lazy(
            "Each category of personal data held: its purposes, how it is collected, where it is kept "
            "and to whom it goes (DPP1)."
        ),
        DataCategory,
        CategoryForm,
        actions.save_category,
        [
            (gettext_lazy("Category"), lambda c: c.name),
            (gettext_lazy("Purposes"), lambda c: ", ".join(c.purposes)),
            (gettext_lazy("Collected through"), lambda c: c.get_channel_display()),
            (gettext_lazy("Systems"), lambda c: ", ".join(s.name for s in c.systems.all()) or "—"),
            (gettext_lazy("Sensitivity"), lambda c: c.get_sensitivity_display()),
        ],
        form_kwargs=_systems,
    ),
    "systems": Register(
        "systems",
        gettext_lazy("Systems and security"),
        gettext_lazy(
            "One security record per system holding personal data, covering the five DPP4(1) factors."
        ),
        System,
        SystemForm,
        actions.save_system,
        [
            (gettext_lazy("System"), lambda s: s.name),
            (gettext_lazy("Factors answered"), lambda s: f"{5 - len(s.missing_factors)} / 5"),
        ],
    ),
    "tias": Register(
        "tias",
        gettext_lazy("Transfer impact assessments"),
        gettext_lazy(
            "Before data goes to the mainland: the six assessment items, the model clauses, the data "
            "flow, and an approval by someone other than the author."
        ),
        TransferAssessment,
        TiaForm,
        actions.save_tia,
        [
            (gettext_lazy("Transfer"), lambda t: t.title),
            (gettext_lazy("Vendor"), lambda t: f"{t.vendor_entity} ({t.vendor_region})"),
            (gettext_lazy("Risk"), lambda t: t.get_risk_display()),
            (gettext_lazy("State"), _tia_state),
            (gettext_lazy("Review by"), lambda t: t.review_on),
        ],
        approve=actions.approve_tia,
    ),
    "gba": Register(
        "gba",
        gettext_lazy("GBA standard contracts"),
        gettext_lazy(
            "Eligibility from both parties' registered cities; filing within 10 Hong Kong working "
            "days of the contract taking effect."
        ),
        GbaContract,
        GbaForm,
        actions.save_gba,
        [
            (gettext_lazy("Other party"), lambda c: c.counterparty),
            (
                gettext_lazy("Cities"),
                lambda c: f"{c.get_our_city_display()} ↔ {c.get_counterparty_city_display()}",
            ),
            (gettext_lazy("Took effect"), lambda c: c.effective_on or "—"),
            (gettext_lazy("Status"), _gba_state),
        ],
    ),
    "processors": Register(
        "processors",
        gettext_lazy("Processors and data users"),
        gettext_lazy(
            "Vendors handling the company's personal data, their role and the protective clauses of "
            "their contracts (DPP2(3), DPP4(2))."
        ),
        Processor,
        ProcessorForm,
        actions.save_processor,
        [
            (gettext_lazy("Vendor"), lambda p: p.vendor),
            (gettext_lazy("Role"), lambda p: p.get_role_display()),
            (gettext_lazy("Contract"), lambda p: p.contract_id or "—"),
            (gettext_lazy("Missing clauses"), _processor_gaps),
        ],
    ),
    "monitoring": Register(
        "monitoring",
        gettext_lazy("Monitoring assessments"),
        gettext_lazy(
            "The three As (assessment, alternatives, accountability) and three Cs (clarity, "
            "communication, control) for each monitoring feature."
        ),
        MonitoringAssessment,
        MonitoringForm,
        actions.save_monitoring,
        [
            (gettext_lazy("Feature"), str),
            (gettext_lazy("Covert"), lambda a: _yes_no(a.covert)),
            (gettext_lazy("State"), lambda a: a.get_state_display()),
            (gettext_lazy("Approved on"), lambda a: a.approved_on or "—"),
        ],
        approve=actions.approve_monitoring,
        form_kwargs=_members,
    ),
}


def _register(key: str) -> Register:
    return REGISTERS[key]


def _form_initial(register: Register, obj: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name in register.form.base_fields:
        if name == "system_ids":
            initial[name] = [str(s.pk) for s in obj.systems.all()]
            continue
        value = getattr(obj, name, None)
        if isinstance(value, list):
            value = "\n".join(value)
        elif isinstance(value, uuid.UUID):
            value = str(value)
        initial[name] = value
    return initial


def _rows(register: Register, objects: QuerySet[Any]) -> list[tuple[Any, list[Any]]]:
    return [(obj, [getter(obj) for _label, getter in register.columns]) for obj in objects]


def _list_page(
    request: ConsoleRequest, register: Register, form: ActionForm | None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    objects = visible(actor, register.model)
    if register.model is DataCategory:
        objects = objects.prefetch_related("systems")
    may_manage = actor.access().tenant_wide(MANAGE)
    if form is None and may_manage:
        form = register.form(**register.form_kwargs(request))
    context = {
        "register": register,
        "headers": [label for label, _getter in register.columns],
        "rows": _rows(register, objects[:SHOWN]),
        "form": form,
        "may_manage": may_manage,
        "detail_url": register.detail_url,
    }
    return render(request, "pdpo/register.html", context, status=status)


def _register_list(key: str) -> Callable[[ConsoleRequest], HttpResponse]:
    @member_required
    def view(request: ConsoleRequest) -> HttpResponse:
        _require(request)
        register = _register(key)
        if request.method != "POST":
            return _list_page(request, register, None)
        _require(request, MANAGE)
        form = register.form(request.POST, **register.form_kwargs(request))
        if form.is_valid():
            try:
                obj = register.save(request.actor, **form.cleaned_data)
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved in the register."))
                return redirect(register.detail_url, obj.pk)
        return _list_page(request, register, form, status=400)

    view.__name__ = f"{key}_list"
    return view


def _fields(register: Register, obj: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    for name, form_field in register.form.base_fields.items():
        if name == "system_ids":
            value: Any = ", ".join(s.name for s in obj.systems.all()) or "—"
        elif name == "covert_approver_id":
            value = obj.covert_approver.name if obj.covert_approver else "—"
        else:
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if callable(display) else getattr(obj, name)
            if isinstance(value, bool):
                value = _yes_no(value)
            elif isinstance(value, list):
                value = ", ".join(value) or "—"
        out.append((form_field.label, value if value not in (None, "") else "—"))
    return out


def _detail_page(
    request: ConsoleRequest,
    register: Register,
    obj: Any,
    form: ActionForm | None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    actor = request.actor
    may_manage = actor.access().tenant_wide(MANAGE)
    if form is None and may_manage:
        form = register.form(initial=_form_initial(register, obj), **register.form_kwargs(request))
    may_approve = (
        register.approve is not None
        and actor.access().tenant_wide(APPROVE)
        and obj.state == Approval.DRAFT
        and obj.author_id != actor.pk
    )
    context = {
        "register": register,
        "record": obj,
        "fields": _fields(register, obj),
        "form": form,
        "may_manage": may_manage,
        "may_approve": may_approve,
        "approve_form": extra.pop("approve_form", None) or (ApproveForm() if may_approve else None),
        "approve_url": f"pdpo:{register.key}_approve" if register.approve else "",
        "has_approval": register.approve is not None,
        **extra,
    }
    if isinstance(obj, TransferAssessment):
        context["status_line"] = _tia_state(obj)
    elif isinstance(obj, GbaContract):
        context["status_line"] = _gba_state(obj)
    elif isinstance(obj, Processor):
        context["status_line"] = _("Missing clauses: %(gaps)s") % {"gaps": _processor_gaps(obj)}
    elif isinstance(obj, System) and obj.missing_factors:
        context["status_line"] = _("%(n)d of the five security factors unanswered") % {
            "n": len(obj.missing_factors)
        }
    elif isinstance(obj, MonitoringAssessment):
        context["status_line"] = str(obj.get_state_display())
    return render(request, "pdpo/record.html", context, status=status)


def _register_detail(key: str) -> Callable[[ConsoleRequest, uuid.UUID], HttpResponse]:
    @member_required
    def view(request: ConsoleRequest, record_id: uuid.UUID) -> HttpResponse:
        _require(request)
        register = _register(key)
        obj = get_for(request.actor, register.model, record_id)
        if request.method != "POST":
            return _detail_page(request, register, obj, None)
        _require(request, MANAGE)
        form = register.form(request.POST, **register.form_kwargs(request))
        if form.is_valid():
            try:
                register.save(request.actor, obj, **form.cleaned_data)
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved in the register."))
                return redirect(register.detail_url, obj.pk)
        obj.refresh_from_db()
        return _detail_page(request, register, obj, form, status=400)

    view.__name__ = f"{key}_detail"
    return view


def _register_approve(key: str) -> Callable[[ConsoleRequest, uuid.UUID], HttpResponse]:
    @require_POST
    @member_required
    def view(request: ConsoleRequest, record_id: uuid.UUID) -> HttpResponse:
        _require(request, APPROVE)
        register = _register(key)
        assert register.approve is not None
        obj = get_for(request.actor, register.model, record_id)
        form = ApproveForm(request.POST)
        if form.is_valid():
            try:
                register.approve(request.actor, obj, approved_on=form.cleaned_data["approved_on"])
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Approved."))
                return redirect(register.detail_url, obj.pk)
        return _detail_page(request, register, obj, None, status=400, approve_form=form)

    view.__name__ = f"{key}_approve"
    return view


inventory = _register_list("inventory")
category = _register_detail("inventory")
systems = _register_list("systems")
system = _register_detail("systems")
tias = _register_list("tias")
tia = _register_detail("tias")
tia_approve = _register_approve("tias")
gba = _register_list("gba")
gba_contract = _register_detail("gba")
processors = _register_list("processors")
processor = _register_detail("processors")
monitoring = _register_list("monitoring")
assessment = _register_detail("monitoring")
monitoring_approve = _register_approve("monitoring")


# ------------------------------------------------------------------------------------------------- home
@member_required
def home(request: ConsoleRequest) -> HttpResponse:
    """Counts per register and each rule the register covers, with its gap (computed now)."""
    _require(request)
    tenant_id = request.actor.tenant_id
    findings = [(rule_id, check(tenant_id)) for rule_id, check in CHECKS.items()]
    gaps = [(rule_id, f) for rule_id, f in findings if f.status == Status.GAP]
    context = {
        "counts": counts(tenant_id),
        "findings": findings,
        "gaps": gaps,
        "not_shown": members_not_shown(tenant_id).count(),
        "pics": current_notice(tenant_id, NoticeKind.PICS),
        "pps": current_notice(tenant_id, NoticeKind.PPS),
        "location": data_location(tenant_id),
        "s33_in_force": S33_IN_FORCE,
    }
    return render(request, "pdpo/home.html", context)


# ------------------------------------------------------------------------------------------------ notices
def _notices_page(request: ConsoleRequest, form: NoticeForm | None, status: int = 200) -> HttpResponse:
    actor = request.actor
    may_manage = actor.access().tenant_wide(MANAGE)
    context = {
        "notices": list(visible(actor, Notice)[:SHOWN]),
        "form": form or (NoticeForm() if may_manage else None),
        "may_manage": may_manage,
    }
    return render(request, "pdpo/notices.html", context, status=status)


@member_required
def notices(request: ConsoleRequest) -> HttpResponse:
    _require(request)
    if request.method != "POST":
        return _notices_page(request, None)
    _require(request, MANAGE)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            made = actions.save_notice(request.actor, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the draft: publish it when ready."))
            return redirect("pdpo:notice", made.pk)
    return _notices_page(request, form, status=400)


def _notice_page(
    request: ConsoleRequest,
    found: Notice,
    *,
    form: NoticeForm | None = None,
    shown_form: ShownForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    may_manage = actor.access().tenant_wide(MANAGE)
    is_draft = found.state == Notice.State.DRAFT
    is_pics = found.kind == NoticeKind.PICS
    members = member_choices(actor.tenant_id)
    context = {
        "notice": found,
        "html_en": markdown_html(found.body_en),
        "html_zh": markdown_html(found.body_zh),
        "may_manage": may_manage,
        "is_draft": is_draft,
        "form": form
        or (
            NoticeForm(initial={n: getattr(found, n) for n in actions.NOTICE_FIELDS})
            if may_manage and is_draft
            else None
        ),
        "shown": list(visible(actor, NoticeShown).filter(notice=found).select_related("member")[:SHOWN])
        if is_pics
        else [],
        "shown_form": shown_form
        or (ShownForm(members=members) if may_manage and is_pics and not is_draft else None),
        "is_pics": is_pics,
    }
    return render(request, "pdpo/notice.html", context, status=status)


@member_required
def notice(request: ConsoleRequest, notice_id: uuid.UUID) -> HttpResponse:
    _require(request)
    found = get_for(request.actor, Notice, notice_id, "notice_id")
    if request.method != "POST":
        return _notice_page(request, found)
    _require(request, MANAGE)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            actions.save_notice(request.actor, found, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the draft."))
            return redirect("pdpo:notice", found.pk)
    return _notice_page(request, found, form=form, status=400)


class _ConfirmForm(ActionForm):
    """Nothing to fill in: the button is the confirmation."""


@member_required
def notice_publish(request: ConsoleRequest, notice_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    actor = request.actor
    found = get_for(actor, Notice, notice_id, "notice_id")
    current = current_notice(actor.tenant_id, found.kind)
    consequences = [_("Its text can no longer be changed; a change needs a new version.")]
    if current is not None:
        consequences.append(_("Version %(v)d is superseded.") % {"v": current.version})
    if found.kind == NoticeKind.PICS:
        consequences.append(
            _("Every member is asked to read the new version; until they do they are listed as not shown it.")
        )
    confirmation = Confirmation(
        title=_("Publish %(notice)s?") % {"notice": found},
        consequences=consequences,
        action_url=reverse("pdpo:notice_publish", args=[found.pk]),
        button=_("Publish"),
        cancel_url=reverse("pdpo:notice", args=[found.pk]),
    )

    def perform(form: Any) -> HttpResponse:
        actions.publish_notice(actor, found)
        messages.success(request, _("Published."))
        return redirect("pdpo:notice", found.pk)

    return confirm(request, confirmation, _ConfirmForm, perform)


@require_POST
@member_required
def notice_shown(request: ConsoleRequest, notice_id: uuid.UUID) -> HttpResponse:
    _require(request, MANAGE)
    actor = request.actor
    found = get_for(actor, Notice, notice_id, "notice_id")
    form = ShownForm(request.POST, members=member_choices(actor.tenant_id))
    if form.is_valid():
        try:
            actions.record_notice_shown(actor, found, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("pdpo:notice", found.pk)
    return _notice_page(request, found, shown_form=form, status=400)


@member_required
def not_shown(request: ConsoleRequest) -> HttpResponse:
    _require(request)
    tenant_id = request.actor.tenant_id
    pics = current_notice(tenant_id, NoticeKind.PICS)
    context = {"pics": pics, "members": list(members_not_shown(tenant_id, pics)[:SHOWN])}
    return render(request, "pdpo/not_shown.html", context)


@member_required
def pics(request: ConsoleRequest) -> HttpResponse:
    """Any member: the company's current PICS. Opening it records that they were shown this version."""
    member = request.actor
    found = current_notice(member.tenant_id, NoticeKind.PICS)
    shown = None
    if found is not None:
        shown = shown_to_member(member, found) or actions.record_own_pics_view(member, found)
    context = {
        "notice": found,
        "shown": shown,
        "html_en": markdown_html(found.body_en) if found else "",
        "html_zh": markdown_html(found.body_zh) if found else "",
    }
    return render(request, "pdpo/pics.html", context)


# ------------------------------------------------------------------------------------------------ consent
def _consents_page(request: ConsoleRequest, form: ConsentForm | None, status: int = 200) -> HttpResponse:
    actor = request.actor
    may_manage = actor.access().tenant_wide(MANAGE)
    context = {
        "entries": list(visible(actor, ConsentEntry)[:SHOWN]),
        "states": consent_states(actor.tenant_id),
        "form": form or (ConsentForm(members=member_choices(actor.tenant_id)) if may_manage else None),
    }
    return render(request, "pdpo/consents.html", context, status=status)


@member_required
def consents(request: ConsoleRequest) -> HttpResponse:
    _require(request)
    if request.method != "POST":
        return _consents_page(request, None)
    _require(request, MANAGE)
    form = ConsentForm(request.POST, members=member_choices(request.actor.tenant_id))
    if form.is_valid():
        try:
            actions.record_consent(request.actor, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded in the consent ledger."))
            return redirect("pdpo:consents")
    return _consents_page(request, form, status=400)


# ------------------------------------------------------------------------------------------ data location
@member_required
def location(request: ConsoleRequest) -> HttpResponse:
    _require(request)
    actor = request.actor
    found = data_location(actor.tenant_id)
    may_manage = actor.access().tenant_wide(MANAGE)
    form: LocationForm | None = None
    status = 200
    if request.method == "POST":
        _require(request, MANAGE)
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                actions.save_data_location(actor, **form.cleaned_data)
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved the data-location record."))
                return redirect("pdpo:location")
        status = 400
    elif may_manage:
        initial = {}
        if found is not None:
            initial = {n: getattr(found, n) for n in actions.LOCATION_FIELDS}
            initial["storage_regions"] = "\n".join(found.storage_regions)
        form = LocationForm(initial=initial)
    context = {
        "location": found,
        "form": form,
        "s33_in_force": S33_IN_FORCE,
        "s33_reviewed": S33_REVIEWED,
    }
    return render(request, "pdpo/location.html", context, status=status)
