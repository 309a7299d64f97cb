from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "harbour.training"
    label = "training"
    verbose_name = "Security training"
