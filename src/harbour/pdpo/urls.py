from django.urls import URLPattern, URLResolver, path

from harbour.pdpo import views

app_name = "pdpo"

urlpatterns: list[URLPattern | URLResolver] = [
    path("pdpo/", views.home, name="home"),
    path("pdpo/inventory/", views.inventory, name="inventory"),
    path("pdpo/inventory/<uuid:record_id>/", views.category, name="category"),
    path("pdpo/systems/", views.systems, name="systems"),
    path("pdpo/systems/<uuid:record_id>/", views.system, name="system"),
    path("pdpo/notices/", views.notices, name="notices"),
    path("pdpo/notices/<uuid:notice_id>/", views.notice, name="notice"),
    path("pdpo/notices/<uuid:notice_id>/publish/", views.notice_publish, name="notice_publish"),
    path("pdpo/notices/<uuid:notice_id>/shown/", views.notice_shown, name="notice_shown"),
    path("pdpo/pics/not-shown/", views.not_shown, name="not_shown"),
    path("pdpo/pics/", views.pics, name="pics"),
    path("pdpo/consents/", views.consents, name="consents"),
    path("pdpo/transfers/", views.tias, name="tias"),
    path("pdpo/transfers/<uuid:record_id>/", views.tia, name="tia"),
    path("pdpo/transfers/<uuid:record_id>/approve/", views.tia_approve, name="tias_approve"),
    path("pdpo/gba/", views.gba, name="gba"),
    path("pdpo/gba/<uuid:record_id>/", views.gba_contract, name="gba_contract"),
    path("pdpo/processors/", views.processors, name="processors"),
    path("pdpo/processors/<uuid:record_id>/", views.processor, name="processor"),
    path("pdpo/monitoring/", views.monitoring, name="monitoring"),
    path("pdpo/monitoring/<uuid:record_id>/", views.assessment, name="assessment"),
    path("pdpo/monitoring/<uuid:record_id>/approve/", views.monitoring_approve, name="monitoring_approve"),
    path("pdpo/location/", views.location, name="location"),
]
