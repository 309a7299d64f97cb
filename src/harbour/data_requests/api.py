"""REST routes of the data_requests app."""

from ninja import Router

router = Router(tags=["Data access and correction requests"])
