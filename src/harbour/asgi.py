"""ASGI entry point (``harbour serve`` and ``harbour demo`` run it under uvicorn)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

application = get_asgi_application()

# Everything loaded at start-up lives as long as the process: keep it out of the garbage collector's
# full scans, which otherwise show up as latency spikes on large responses.
gc.collect()
gc.freeze()
