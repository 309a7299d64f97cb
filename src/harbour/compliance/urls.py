from django.urls import URLPattern, URLResolver, path

from harbour.compliance import views

app_name = "compliance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("compliance/", views.dashboard, name="dashboard"),
    path("compliance/attestations/", views.attest, name="attest"),
    path("compliance/attestations/<uuid:attestation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("compliance/report/", views.report, name="report"),
    path("compliance/report.pdf", views.report_pdf, name="report_pdf"),
    path("compliance/report.html", views.report_download, name="report_html"),
]
