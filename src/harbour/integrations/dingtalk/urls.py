from django.urls import URLPattern, URLResolver, path  # noqa: F401

app_name = "dingtalk"

urlpatterns: list[URLPattern | URLResolver] = []
