from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "harbour.policies"
    label = "policies"
    verbose_name = "Policies and acknowledgements"
