from django.urls import URLPattern, URLResolver, path

from harbour.retention import views

app_name = "retention"

urlpatterns: list[URLPattern | URLResolver] = [
    path("retention/", views.schedules_page, name="schedules"),
    path("retention/schedules/<slug:category>/", views.schedule_page, name="schedule"),
    path("retention/holds/", views.holds_page, name="holds"),
    path("retention/holds/<uuid:hold_id>/lift/", views.lift_page, name="lift"),
    path("retention/preview/", views.preview_page, name="preview"),
    path("retention/run/", views.run_now_page, name="run_now"),
    path("retention/history/", views.history_page, name="history"),
]
