from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "harbour.reviews"
    label = "reviews"
    verbose_name = "Access reviews"
