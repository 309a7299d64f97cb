"""Console URL of the self-report page (namespace ``self_report``)."""

from django.urls import path

from harbour.identity import self_report_views

app_name = "self_report"

urlpatterns = [
    path("me/report-compromise/", self_report_views.report_compromise_page, name="report"),
]
