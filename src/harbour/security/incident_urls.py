"""Console URLs of security incidents and notices (namespace ``incidents``)."""

from django.urls import path

from harbour.security import breach_views
from harbour.security import incident_views as views

app_name = "incidents"

urlpatterns = [
    path("security/incidents/", views.incident_list, name="list"),
    path("security/incidents/new/", views.incident_open, name="open"),
    path("security/incidents/<uuid:incident_id>/", views.incident_detail, name="detail"),
    path("security/incidents/<uuid:incident_id>/take/", views.incident_take, name="take"),
    path("security/incidents/<uuid:incident_id>/assign/", views.incident_assign, name="assign"),
    path("security/incidents/<uuid:incident_id>/notes/", views.incident_note, name="note"),
    path("security/incidents/<uuid:incident_id>/report/", views.incident_report, name="report"),
    path("security/incidents/<uuid:incident_id>/resolve/", views.incident_resolve, name="resolve"),
    path("security/incidents/<uuid:incident_id>/dismiss/", views.incident_dismiss, name="dismiss"),
    path("security/incidents/rules/", breach_views.incident_rules, name="rules"),
    path("security/incidents/<uuid:incident_id>/breach/", breach_views.breach_mark, name="breach_mark"),
    path(
        "security/incidents/<uuid:incident_id>/breach/<slug:step>/",
        breach_views.breach_step,
        name="breach_step",
    ),
    path(
        "security/incidents/<uuid:incident_id>/notification-form/",
        breach_views.breach_form,
        name="breach_form",
    ),
    path(
        "security/incidents/<uuid:incident_id>/notification-form.pdf",
        breach_views.breach_form_pdf,
        name="breach_form_pdf",
    ),
    path(
        "security/incidents/<uuid:incident_id>/critical-system/",
        breach_views.critical_system,
        name="critical_system",
    ),
    path("security/incidents/<uuid:incident_id>/ci-report/", breach_views.ci_report, name="ci_report"),
    path("notices/", views.notice_list, name="notices"),
]
