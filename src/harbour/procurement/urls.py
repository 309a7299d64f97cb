"""Console URLs of procurement (namespace ``procurement``)."""

from django.urls import path

from harbour.procurement.views import partner_lists, quotes, resellers

app_name = "procurement"

urlpatterns = [
    path("procurement/", quotes.quotes, name="quotes"),
    path("procurement/quotes/new/", quotes.quote_create, name="quote_create"),
    path("procurement/quotes/<uuid:quote_id>/", quotes.quote_detail, name="quote"),
    path("procurement/quotes/<uuid:quote_id>/edit/", quotes.quote_edit, name="quote_edit"),
    path(
        "procurement/quotes/<uuid:quote_id>/support-test/",
        quotes.quote_support_test,
        name="quote_support_test",
    ),
    path("procurement/quotes/<uuid:quote_id>/verdict/", quotes.quote_verdict, name="quote_verdict"),
    path("procurement/quotes/<uuid:quote_id>/sign/", quotes.quote_sign, name="quote_sign"),
    path("procurement/resellers/", resellers.resellers, name="resellers"),
    path("procurement/resellers/new/", resellers.reseller_create, name="reseller_create"),
    path("procurement/resellers/<uuid:reseller_id>/", resellers.reseller_detail, name="reseller"),
    path("procurement/resellers/<uuid:reseller_id>/edit/", resellers.reseller_edit, name="reseller_edit"),
    path(
        "procurement/resellers/<uuid:reseller_id>/verify/", resellers.reseller_verify, name="reseller_verify"
    ),
    path("procurement/resellers/<uuid:reseller_id>/sla/", resellers.reseller_sla, name="reseller_sla"),
    path(
        "procurement/resellers/<uuid:reseller_id>/sla/document/",
        resellers.reseller_sla_document,
        name="reseller_sla_document",
    ),
    path("procurement/partner-lists/", partner_lists.partner_lists, name="partner_lists"),
    path("procurement/partner-lists/import/", partner_lists.partner_list_import, name="partner_list_import"),
    path("procurement/partner-lists/<uuid:list_id>/", partner_lists.partner_list_detail, name="partner_list"),
]
