from django.apps import AppConfig


class DataRequestsConfig(AppConfig):
    name = "harbour.data_requests"
    label = "data_requests"
    verbose_name = "Data access and correction requests"
