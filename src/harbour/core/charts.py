"""Server-rendered SVG charts: no script, no third-party library, fine under a strict CSP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = 160
    plot_width: int = 420
    row: int = 26

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 60


def bar_chart(data: Sequence[tuple[str, int]], *, plot_width: int = 420, row: int = 26) -> BarChart:
    """Horizontal bars scaled to the largest value; the template draws them."""
    top = max((v for _, v in data), default=0) or 1
    bars = [Bar(label, value, i * row, plot_width * value / top) for i, (label, value) in enumerate(data)]
    return BarChart(bars=bars, height=max(row, len(bars) * row), plot_width=plot_width, row=row)
