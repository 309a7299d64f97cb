"""The console's CSS, icon and htmx come from the app itself (WhiteNoise with finders): no CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_load_only_local_scripts_and_styles(admin_client: Client) -> None:
    html = admin_client.get("/members/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    for src in sources:
        response = Client().get(src)
        assert response.status_code == 200, src
        assert "whitenoise" in type(response).__module__, src
