from django.urls import path

from harbour.reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.home, name="home"),
    path("reviews/items/certify/", views.bulk_certify, name="bulk_certify"),
    path("reviews/items/<uuid:item_id>/certify/", views.certify, name="certify"),
    path("reviews/items/<uuid:item_id>/revoke/", views.revoke, name="revoke"),
    path("reviews/campaigns/", views.campaigns, name="campaigns"),
    path("reviews/campaigns/<uuid:campaign_id>/", views.campaign, name="campaign"),
    path("reviews/campaigns/<uuid:campaign_id>/open/", views.open_campaign, name="open"),
    path("reviews/campaigns/<uuid:campaign_id>/close/", views.close_campaign, name="close"),
    path("reviews/campaigns/<uuid:campaign_id>/report.csv", views.report_csv, name="report_csv"),
    path("reviews/schedule/", views.schedule, name="schedule"),
]
