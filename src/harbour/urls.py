from django.urls import include, path

from harbour.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("harbour.identity.urls")),
    path("", include("harbour.identity.sso.urls")),
    path("", include("harbour.identity.sso.protocol_urls")),
    path("", include("harbour.directory.urls")),
    path("", include("harbour.plans.urls")),
    path("", include("harbour.oplog.urls")),
    path("", include("harbour.procurement.urls")),
    path("", include("harbour.jobs.urls")),
    path("", include("harbour.security.urls")),
    path("", include("harbour.lifecycle.urls")),
    path("", include("harbour.collaborators.urls")),
    path("", include("harbour.reviews.urls")),
    path("", include("harbour.policies.urls")),
    path("", include("harbour.training.urls")),
    path("", include("harbour.announcements.urls")),
    path("", include("harbour.pdpo.urls")),
    path("", include("harbour.data_requests.urls")),
    path("", include("harbour.retention.urls")),
    path("", include("harbour.compliance.urls")),
    path("", include("harbour.security.incident_urls")),
    path("", include("harbour.identity.self_report_urls")),
    path("", include("harbour.integrations.dingtalk.urls")),
    path("", include("harbour.console.urls")),
]
