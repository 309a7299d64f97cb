"""REST routes of the announcements app."""

from ninja import Router

router = Router(tags=["Announcements"])
