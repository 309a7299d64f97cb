from django.apps import AppConfig


class CollaboratorsConfig(AppConfig):
    name = "harbour.collaborators"
    label = "collaborators"
    verbose_name = "Temporary collaborators"
