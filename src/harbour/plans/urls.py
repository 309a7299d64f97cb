"""Console URLs of plans (namespace ``plans``)."""

from django.urls import path

from harbour.plans import views

app_name = "plans"

urlpatterns = [
    path("plan/", views.subscription, name="subscription"),
    path("plan/change/", views.change, name="change"),
    path("plan/cancel-scheduled/", views.cancel_scheduled, name="cancel_scheduled"),
    path("plans/", views.compare, name="compare"),
    path("operator/plans/", views.catalogue, name="catalogue"),
    path("operator/plans/<slug:code>/", views.catalogue_edit, name="catalogue_edit"),
]
