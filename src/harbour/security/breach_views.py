"""Console pages and posts of personal-data breaches and critical-infrastructure clocks on the incident page:
marking a breach, the five steps, the critical-system flag and report, the PCPD notification form (HTML and
PDF) and the company's incident rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harbour.core.decorators import member_required
from harbour.core.errors import HarbourError
from harbour.core.pdf import template_to_pdf
from harbour.directory.forms import ActionForm
from harbour.directory.views.base import ConsoleRequest, require_tenant_wide
from harbour.security import breaches
from harbour.security.breach_form import Overrides, notification_form, when_text
from harbour.security.breaches import LIKELIHOOD, SEVERITY, DataKind, Harm
from harbour.security.incident_clock import ci_clock_of, pcpd_clock_of
from harbour.security.models import Incident
from harbour.security.queries import get_incident_for, settings_for, settings_of

TEXT = forms.Textarea(attrs={"rows": 3, "maxlength": 5000})
NOTES = forms.CharField(label=gettext_lazy("Notes"), max_length=5000, widget=TEXT, required=False)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


def _when_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=gettext_lazy("Hong Kong time"),
    )


class MarkForm(ActionForm):
    data_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of personal data (if known)"),
        choices=DataKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    affected_estimate = forms.IntegerField(
        label=gettext_lazy("People affected (estimate)"), min_value=0, required=False
    )
    systems = forms.CharField(label=gettext_lazy("Systems involved"), max_length=5000, required=False)


class GatherForm(ActionForm):
    occurred_at = _when_field(gettext_lazy("When the breach happened"))
    how = forms.CharField(label=gettext_lazy("How it happened"), max_length=5000, widget=TEXT)
    data_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of personal data"),
        choices=DataKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    affected_estimate = forms.IntegerField(label=gettext_lazy("People affected (estimate)"), min_value=0)
    systems = forms.CharField(label=gettext_lazy("Systems involved"), max_length=5000)
    notes = NOTES


class ContainForm(ActionForm):
    actions = forms.CharField(label=gettext_lazy("What was done to contain it"), max_length=5000, widget=TEXT)
    contained_at = _when_field(gettext_lazy("Contained at"))
    notes = NOTES


class AssessForm(ActionForm):
    likelihood = forms.TypedChoiceField(
        label=gettext_lazy("Likelihood of harm"), choices=list(LIKELIHOOD.items()), coerce=int
    )
    severity = forms.TypedChoiceField(
        label=gettext_lazy("Severity of harm"), choices=list(SEVERITY.items()), coerce=int
    )
    harms = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of harm"), choices=Harm.choices, widget=forms.CheckboxSelectMultiple
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Why (sensitivity and volume of the data)"), max_length=5000, widget=TEXT
    )
    notes = NOTES


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class DecisionForm(ActionForm):
    notify_pcpd = forms.ChoiceField(
        label=gettext_lazy("Notify the PCPD (written form)"), choices=YES_NO, widget=forms.RadioSelect
    )
    notify_individuals = forms.ChoiceField(
        label=gettext_lazy("Notify the affected individuals"), choices=YES_NO, widget=forms.RadioSelect
    )
    notify_others = forms.ChoiceField(
        label=gettext_lazy("Notify others (police, banks, regulators)"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    others = forms.CharField(label=gettext_lazy("Who else"), max_length=500, required=False)
    rationale = forms.CharField(
        label=gettext_lazy("Rationale for the decision"), max_length=5000, widget=TEXT
    )
    pcpd_notified_at = forms.DateTimeField(
        label=gettext_lazy("When the form was sent to the PCPD (if it was)"),
        widget=DateTimeInput(format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
    )
    notes = NOTES


class DocumentForm(ActionForm):
    facts = forms.CharField(label=gettext_lazy("Facts of the breach"), max_length=5000, widget=TEXT)
    containment = forms.CharField(label=gettext_lazy("Containment"), max_length=5000, widget=TEXT)
    remedial_actions = forms.CharField(label=gettext_lazy("Remedial actions"), max_length=5000, widget=TEXT)
    notes = NOTES


class CriticalSystemForm(ActionForm):
    affects_critical_system = forms.BooleanField(
        label=gettext_lazy("Affects a critical computer system"), required=False
    )
    core_function_disrupted = forms.BooleanField(
        label=gettext_lazy("A core function was disrupted (12-hour report)"), required=False
    )


class CiReportForm(ActionForm):
    summary = forms.CharField(
        label=gettext_lazy("What was reported to the Commissioner"), max_length=5000, widget=TEXT
    )


class OverridesForm(forms.Form):
    company_address = forms.CharField(label=gettext_lazy("Company address"), max_length=500, required=False)
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=500, required=False)
    contact_title = forms.CharField(label=gettext_lazy("Position"), max_length=500, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=500, required=False)
    contact_email = forms.CharField(label=gettext_lazy("Email"), max_length=500, required=False)


class RulesForm(ActionForm):
    designated_ci_operator = forms.BooleanField(
        label=gettext_lazy("Designated critical-infrastructure operator (Cap. 653)"),
        required=False,
        help_text=gettext_lazy(
            "Incidents of critical computer systems must then be reported to the Commissioner within "
            "12 hours (core function disrupted) or 48 hours."
        ),
    )
    breach_notice_proposal = forms.BooleanField(
        label=gettext_lazy("Apply the proposed 5-business-day breach notice (a proposal, not in force)"),
        required=False,
        help_text=gettext_lazy(
            "Hong Kong law has no mandatory breach notification today. When on, breaches with a real risk of "
            "significant harm get a drafted clock to notify the PCPD within 5 Hong Kong business days."
        ),
    )


def _yes(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# step slug → (number, form class, action)
STEPS: dict[str, tuple[int, type[ActionForm]]] = {
    "gather": (1, GatherForm),
    "contain": (2, ContainForm),
    "assess": (3, AssessForm),
    "decision": (4, DecisionForm),
    "document": (5, DocumentForm),
}
STEP_SLUGS = {number: slug for slug, (number, _form) in STEPS.items()}


def _perform_step(actor: Any, incident: Incident, slug: str, data: dict[str, Any]) -> None:
    if slug == "gather":
        breaches.gather_information(actor, incident, **data)
    elif slug == "contain":
        breaches.contain_breach(actor, incident, **data)
    elif slug == "assess":
        breaches.assess_risk(actor, incident, **data)
    elif slug == "decision":
        breaches.decide_notification(
            actor,
            incident,
            notify_pcpd=_yes(data["notify_pcpd"]),
            notify_individuals=_yes(data["notify_individuals"]),
            notify_others=_yes(data["notify_others"]),
            others=data["others"],
            rationale=data["rationale"],
            pcpd_notified_at=data["pcpd_notified_at"],
            notes=data["notes"],
        )
    else:
        breaches.document_breach(actor, incident, **data)


FIELD_LABELS: dict[str, Any] = {
    "how": gettext_lazy("How it happened"),
    "occurred_at": gettext_lazy("When it happened"),
    "actions": gettext_lazy("Containment"),
    "contained_at": gettext_lazy("Contained at"),
    "likelihood": gettext_lazy("Likelihood"),
    "severity": gettext_lazy("Severity"),
    "score": gettext_lazy("Risk score (of 9)"),
    "level": gettext_lazy("Risk level"),
    "harms": gettext_lazy("Kinds of harm"),
    "reasoning": gettext_lazy("Assessment"),
    "notify_pcpd": gettext_lazy("Notify the PCPD"),
    "notify_individuals": gettext_lazy("Notify the affected individuals"),
    "notify_others": gettext_lazy("Notify others"),
    "others": gettext_lazy("Who else"),
    "rationale": gettext_lazy("Rationale"),
    "pcpd_notified_at": gettext_lazy("Form sent to the PCPD"),
    "facts": gettext_lazy("Facts"),
    "containment": gettext_lazy("Containment"),
    "remedial_actions": gettext_lazy("Remedial actions"),
}


def _shown(key: str, value: Any) -> str:
    """One recorded value as a person reads it (yes/no, labels of scales and harms, local times)."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if key == "likelihood":
        return str(LIKELIHOOD.get(value, value))
    if key == "severity":
        return str(SEVERITY.get(value, value))
    if key == "level":
        return str(breaches.RiskLevel(value).label) if value in breaches.RiskLevel.values else str(value)
    if key == "harms":
        return "; ".join(str(Harm(h).label) for h in value if h in Harm.values)
    if key.endswith("_at"):
        return when_text(value)
    return str(value)


def _lines(data: dict[str, Any]) -> list[tuple[Any, str]]:
    return [
        (FIELD_LABELS.get(key, key), _shown(key, value))
        for key, value in data.items()
        if value not in ("", None, [])
    ]


def breach_context(request: ConsoleRequest, incident: Incident, **forms_in_use: Any) -> dict[str, Any]:
    """What the incident page shows of the breach and CI clocks (merged into the page's context)."""
    may_breach = breaches.may_handle_breaches(request.actor, incident.tenant_id)
    done = breaches.steps_of(incident) if incident.is_breach else {}
    tracker = [
        {
            "number": number,
            "label": label,
            "done": done.get(number),
            "lines": _lines(done[number].data) if number in done else [],
            "slug": STEP_SLUGS[number],
        }
        for number, label in breaches.Step.choices
    ]
    next_step = incident.breach_step + 1 if incident.is_breach and incident.breach_step < 5 else None
    designated = settings_of(incident.tenant_id).designated_ci_operator
    context: dict[str, Any] = {
        "may_breach": may_breach,
        "breach_tracker": tracker,
        "next_step": next_step,
        "ci_clock": ci_clock_of(incident),
        "pcpd_clock": pcpd_clock_of(incident),
        "designated_ci": designated,
        "data_kind_labels": [str(DataKind(k).label) for k in incident.data_kinds if k in DataKind.values],
        "risk_label": _shown("level", incident.risk_level) if incident.risk_level else "",
    }
    if may_breach and not incident.is_breach:
        context["mark_form"] = MarkForm()
    if may_breach and next_step is not None:
        slug = STEP_SLUGS[next_step]
        initial: dict[str, Any] = {}
        if slug == "gather":
            initial = {
                "data_kinds": incident.data_kinds,
                "affected_estimate": incident.affected_estimate,
                "systems": incident.systems,
            }
        context["step_form"] = STEPS[slug][1](initial=initial)
        context["step_slug"] = slug
    if designated:
        context["critical_form"] = CriticalSystemForm(
            initial={
                "affects_critical_system": incident.critical_system,
                "core_function_disrupted": incident.core_function_disrupted,
            }
        )
        context["ci_report_form"] = CiReportForm()
    context.update(forms_in_use)
    return context


def _back_with_errors(
    request: ConsoleRequest, incident: Incident, form_name: str, form: ActionForm
) -> HttpResponse:
    from harbour.security.incident_views import _detail_context

    incident.refresh_from_db()
    context = _detail_context(request, incident, **{form_name: form})
    context["step_errors"] = form.non_field_errors()
    return render(request, "security/incidents/detail.html", context, status=400)


def _require_view(request: ConsoleRequest) -> None:
    require_tenant_wide(request.actor, "incident.view")


@require_POST
@member_required
def breach_mark(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    _require_view(request)
    incident = get_incident_for(request.actor, incident_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            breaches.mark_breach(request.actor, incident, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Marked as a personal-data breach: work through the five steps."))
            return redirect("incidents:detail", incident.pk)
    return _back_with_errors(request, incident, "mark_form", form)


@require_POST
@member_required
def breach_step(request: ConsoleRequest, incident_id: uuid.UUID, step: str) -> HttpResponse:
    _require_view(request)
    incident = get_incident_for(request.actor, incident_id)
    if step not in STEPS:
        raise Http404
    number, form_class = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            _perform_step(request.actor, incident, step, form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Step %(step)d completed: %(name)s.")
                % {"step": number, "name": breaches.Step(number).label},
            )
            return redirect("incidents:detail", incident.pk)
    return _back_with_errors(request, incident, "step_form", form)


@require_POST
@member_required
def critical_system(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    _require_view(request)
    incident = get_incident_for(request.actor, incident_id)
    form = CriticalSystemForm(request.POST)
    if form.is_valid():
        try:
            breaches.set_critical_system(request.actor, incident, **form.cleaned_data)
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Saved the critical-system flag."))
            return redirect("incidents:detail", incident.pk)
    return _back_with_errors(request, incident, "critical_form", form)


@require_POST
@member_required
def ci_report(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    _require_view(request)
    incident = get_incident_for(request.actor, incident_id)
    form = CiReportForm(request.POST)
    if form.is_valid():
        try:
            breaches.report_to_ci_commissioner(request.actor, incident, summary=form.cleaned_data["summary"])
        except HarbourError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded the report to the Commissioner; that clock has stopped."))
            return redirect("incidents:detail", incident.pk)
    return _back_with_errors(request, incident, "ci_report_form", form)


def _form_for_export(
    request: ConsoleRequest, incident_id: uuid.UUID
) -> tuple[Incident, OverridesForm, Overrides]:
    _require_view(request)
    incident = get_incident_for(request.actor, incident_id)
    if not breaches.may_handle_breaches(request.actor, incident.tenant_id) or not incident.is_breach:
        raise Http404
    asked = OverridesForm(request.GET)
    values = asked.cleaned_data if asked.is_valid() else {}
    return incident, asked, Overrides.clean(values)


@member_required
def breach_form(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    """The PCPD notification form on screen, with a small form for what the company record lacks."""
    incident, asked, overrides = _form_for_export(request, incident_id)
    breaches.record_form_export(request.actor, incident, "html")
    form = notification_form(incident, overrides)
    context = {"incident": incident, "form": form, "asked": asked, "query": request.GET.urlencode()}
    return render(request, "security/incidents/notification_form.html", context)


@member_required
def breach_form_pdf(request: ConsoleRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, _asked, overrides = _form_for_export(request, incident_id)
    breaches.record_form_export(request.actor, incident, "pdf")
    content = template_to_pdf(
        "security/incidents/notification_form_print.html", {"form": notification_form(incident, overrides)}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-pcpd-notification.pdf"'
    return response


@member_required
def incident_rules(request: ConsoleRequest) -> HttpResponse:
    """The company's incident rules: CI designation and the proposed breach notice (security.manage)."""
    require_tenant_wide(request.actor, "security.view")
    rules = settings_for(request.actor)
    may_change = request.actor.access().tenant_wide("security.manage")
    initial = {name: getattr(rules, name) for name in rules.INCIDENT_RULE_FIELDS}
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise Http404
        if form.is_valid():
            try:
                breaches.change_incident_rules(request.actor, **form.cleaned_data)
            except HarbourError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Saved the incident rules."))
                return redirect("incidents:rules")
    status = 400 if form.errors else 200
    return render(
        request, "security/incidents/rules.html", {"form": form, "may_change": may_change}, status=status
    )
