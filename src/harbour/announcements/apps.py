from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "harbour.announcements"
    label = "announcements"
    verbose_name = "Announcements"
