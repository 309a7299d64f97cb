"""REST routes of the retention app."""

from ninja import Router

router = Router(tags=["Retention and erasure"])
