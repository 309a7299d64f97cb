"""Console URL-matrix rows for the DingTalk connector's pages."""

from __future__ import annotations

from tests.console.test_url_matrix import Row

ROWS: dict[str, Row] = {}
