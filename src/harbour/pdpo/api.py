"""REST routes of the pdpo app."""

from ninja import Router

router = Router(tags=["PDPO register and requests"])
