from django.apps import AppConfig


class PdpoConfig(AppConfig):
    name = "harbour.pdpo"
    label = "pdpo"
    verbose_name = "PDPO register and requests"
