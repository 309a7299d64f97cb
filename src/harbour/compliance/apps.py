from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "harbour.compliance"
    label = "compliance"
    verbose_name = "Compliance dashboard and report"
