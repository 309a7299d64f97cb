from django.urls import path

from harbour.announcements import views

app_name = "announcements"

urlpatterns = [
    path("announcements/", views.inbox, name="inbox"),
    path("announcements/language/", views.language, name="language"),
    path("announcements/<uuid:announcement_id>/", views.read, name="read"),
    path("announcements/manage/", views.manage, name="manage"),
    path("announcements/manage/new/", views.create, name="create"),
    path("announcements/manage/<uuid:announcement_id>/", views.detail, name="detail"),
    path("announcements/manage/<uuid:announcement_id>/edit/", views.edit, name="edit"),
    path("announcements/manage/<uuid:announcement_id>/send/", views.send, name="send"),
    path("announcements/manage/<uuid:announcement_id>/schedule/", views.schedule, name="schedule"),
    path("announcements/manage/<uuid:announcement_id>/cancel/", views.cancel, name="cancel"),
    path("announcements/manage/<uuid:announcement_id>/delete/", views.delete, name="delete"),
    path("announcements/manage/<uuid:announcement_id>/receipts.csv", views.receipts_csv, name="receipts_csv"),
]
