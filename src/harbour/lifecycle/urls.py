from django.urls import include, path, re_path

from harbour.lifecycle import scim_views, source_views, views, webhook_views

app_name = "lifecycle"

urlpatterns = [
    path("lifecycle/imports/", views.imports_page, name="imports"),
    path("lifecycle/imports/<uuid:run_id>/", views.run_page, name="run"),
    path("lifecycle/imports/<uuid:run_id>/apply/", views.apply_page, name="apply"),
    path("lifecycle/sources/", source_views.sources_page, name="sources"),
    path("lifecycle/webhooks/", source_views.webhook_create, name="webhook_create"),
    path("lifecycle/webhooks/<uuid:webhook_id>/", source_views.webhook_change, name="webhook_change"),
    path("lifecycle/reconciliation/", source_views.reconciliation_page, name="reconciliation"),
    path(
        "lifecycle/imports/<uuid:run_id>/items/<uuid:item_id>/decide/",
        source_views.decide_page,
        name="decide",
    ),
    path("lifecycle/rules/", source_views.rules_page, name="rules"),
    path("lifecycle/rules/<uuid:rule_id>/delete/", source_views.rule_delete, name="rule_delete"),
    path("lifecycle/scim/", scim_views.scim_page, name="scim"),
    path("lifecycle/scim/tokens/<uuid:token_id>/revoke/", scim_views.scim_revoke, name="scim_revoke"),
    # SCIM 2.0 for identity providers: bearer tokens, not console pages (tests/lifecycle/scim: their matrix).
    re_path(r"^scim/v2/", include("harbour.lifecycle.scim.urls")),
    # Signed by the HR system, not a console page: its own tests cover the refusals (tests/lifecycle).
    path("hooks/hr/<uuid:webhook_id>/", webhook_views.hr_event),
]
