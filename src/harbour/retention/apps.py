from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "harbour.retention"
    label = "retention"
    verbose_name = "Retention and erasure"
