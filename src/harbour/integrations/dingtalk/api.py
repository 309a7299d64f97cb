"""REST API v1 of the DingTalk connector."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["dingtalk"])
