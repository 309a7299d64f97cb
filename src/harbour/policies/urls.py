from django.urls import URLPattern, URLResolver, path

from harbour.policies import views

app_name = "policies"

urlpatterns: list[URLPattern | URLResolver] = [
    path("policies/", views.mine, name="mine"),
    path("policies/read/<uuid:version_id>/", views.read, name="read"),
    path("policies/read/<uuid:version_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("policies/manage/", views.documents, name="documents"),
    path("policies/manage/default-conduct/", views.create_default, name="create_default"),
    path("policies/manage/<uuid:document_id>/", views.document, name="document"),
    path("policies/manage/<uuid:document_id>/versions/new/", views.new_version, name="new_version"),
    path("policies/versions/<uuid:version_id>/", views.version, name="version"),
    path("policies/versions/<uuid:version_id>/edit/", views.edit_version, name="edit_version"),
    path("policies/versions/<uuid:version_id>/publish/", views.publish, name="publish"),
    path("policies/versions/<uuid:version_id>/acknowledgements.csv", views.version_csv, name="version_csv"),
]
