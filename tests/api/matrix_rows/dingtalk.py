"""Permission-matrix rows for the DingTalk connector's API routes."""

from __future__ import annotations

from tests.api.test_permission_matrix import Row

ROWS: list[Row] = []
