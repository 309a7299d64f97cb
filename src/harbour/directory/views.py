"""Console pages of the directory (being written)."""
from django.http import HttpRequest, HttpResponse


def org_chart(request: HttpRequest) -> HttpResponse:
    return HttpResponse("org")


members = roles = company = tenants = org_chart
