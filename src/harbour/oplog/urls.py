"""Console URLs of the operation log (namespace ``oplog``)."""

from django.urls import path

from harbour.oplog import views

app_name = "oplog"

urlpatterns = [
    path("log/", views.log, name="log"),
    path("log/export.<str:file_format>", views.export, name="export"),
    path("log/verify/", views.verify, name="verify"),
    path("log/settings/", views.settings_page, name="settings"),
]
