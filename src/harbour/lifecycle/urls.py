from django.urls import path

from harbour.lifecycle import views, webhook_views

app_name = "lifecycle"

urlpatterns = [
    path("lifecycle/imports/", views.imports_page, name="imports"),
    path("lifecycle/imports/<uuid:run_id>/", views.run_page, name="run"),
    path("lifecycle/imports/<uuid:run_id>/apply/", views.apply_page, name="apply"),
    # Signed by the HR system, not a console page: its own tests cover the refusals (tests/lifecycle).
    path("hooks/hr/<uuid:webhook_id>/", webhook_views.hr_event),
]
