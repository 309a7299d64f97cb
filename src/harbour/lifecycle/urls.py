from django.urls import path

from harbour.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("lifecycle/imports/", views.imports_page, name="imports"),
    path("lifecycle/imports/<uuid:run_id>/", views.run_page, name="run"),
    path("lifecycle/imports/<uuid:run_id>/apply/", views.apply_page, name="apply"),
]
