"""ASGI entry point (``harbour serve`` and ``harbour demo`` run it under uvicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

application = get_asgi_application()
