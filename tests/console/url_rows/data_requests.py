"""Console URL-matrix rows for the data_requests pages."""

from __future__ import annotations

from tests.console.test_url_matrix import Row

ROWS: dict[str, Row] = {}
