"""REST routes of the compliance app."""

from ninja import Router

router = Router(tags=["Compliance dashboard and report"])
