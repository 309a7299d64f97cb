"""Console URLs of background jobs (namespace ``jobs``)."""

from django.urls import path

from harbour.jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="retry"),
]
