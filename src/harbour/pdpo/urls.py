from django.urls import URLPattern, URLResolver

app_name = "pdpo"

urlpatterns: list[URLPattern | URLResolver] = []
