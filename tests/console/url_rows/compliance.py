"""Console URL-matrix rows for the compliance pages."""

from __future__ import annotations

from tests.console.test_url_matrix import Row

ROWS: dict[str, Row] = {}
