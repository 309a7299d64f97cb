"""``/scim/v2/…`` (included from the lifecycle's URLs). Not console pages: the bearer token is the
credential, and ``tests/lifecycle/scim`` has the SCIM authentication matrix."""

from django.urls import re_path

from harbour.lifecycle.scim import views

urlpatterns = [
    re_path(r"^ServiceProviderConfigs?/?$", views.service_provider_config),
    re_path(r"^ResourceTypes/?$", views.resource_types),
    re_path(r"^ResourceTypes/(?P<type_id>[^/]+)/?$", views.resource_type),
    re_path(r"^Schemas/?$", views.schemas),
    re_path(r"^Schemas/(?P<schema_id>[^/]+)/?$", views.schema),
    re_path(r"^Users/?$", views.user_list),
    re_path(r"^Users/(?P<user_id>[^/]+)/?$", views.user_detail),
    re_path(r"^Groups/?$", views.group_list),
    re_path(r"^Groups/(?P<group_id>[^/]+)/?$", views.group_detail),
    re_path(r"", views.unknown),
]
