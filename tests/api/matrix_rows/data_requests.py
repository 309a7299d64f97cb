"""Permission-matrix rows for the data_requests routes."""

from __future__ import annotations

from tests.api.test_permission_matrix import Row

ROWS: list[Row] = []
