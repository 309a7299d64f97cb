from django.apps import AppConfig


class OplogConfig(AppConfig):
    """Reading the operation log: search, export, retention settings (the log itself is ``harbour.audit``)."""

    name = "harbour.oplog"
    label = "oplog"
    verbose_name = "Operation log (reading)"
