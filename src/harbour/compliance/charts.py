"""Posture over time as stacked columns (one per day, or per week over longer spans) and the summary
bars, drawn as SVG by the templates: no script, fine under the CSP and in the PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from harbour.compliance.evaluation import STATUS_ORDER, status_label
from harbour.compliance.models import PostureSnapshot
from harbour.core.charts import BarChart, bar_chart

DAILY_UP_TO = 31  # more snapshots than this: one column per week (the week's last snapshot)
PLOT_HEIGHT = 160
COLUMN = 18
GAP = 6
LEFT = 34
BOTTOM = 36
COLORS = {"gap": "#b3261e", "met": "#2e7d32", "not_applicable": "#8a94a0", "not_assessed": "#d8a31a"}


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    y: float
    height: float
    color: str


@dataclass(frozen=True)
class Column:
    label: str  # "11-30" (a day) or "W48" (a week)
    title: str  # the hover text
    x: int
    segments: list[Segment]


@dataclass(frozen=True)
class PostureChart:
    columns: list[Column]
    width: int
    height: int
    plot_height: int
    top: int
    weekly: bool
    legend: list[tuple[str, str, str]]  # status, label, colour

    @property
    def axis_y(self) -> int:
        return self.plot_height


def _columns(snapshots: Sequence[PostureSnapshot]) -> tuple[list[tuple[str, dt.date, dict[str, int]]], bool]:
    if len(snapshots) <= DAILY_UP_TO:
        return [(s.day.strftime("%m-%d"), s.day, s.counts) for s in snapshots], False
    weeks: dict[tuple[int, int], PostureSnapshot] = {}
    for snapshot in snapshots:  # oldest first: the week's last snapshot wins
        year, week, _ = snapshot.day.isocalendar()
        weeks[(year, week)] = snapshot
    return [(f"W{week:02d}", s.day, s.counts) for (_y, week), s in weeks.items()], True


def posture_chart(snapshots: Sequence[PostureSnapshot]) -> PostureChart:
    """Stacked columns of rules by status, oldest on the left; each column's height is the rule count."""
    data, weekly = _columns(snapshots)
    top = max((sum(int(counts.get(str(s), 0)) for s in STATUS_ORDER) for _l, _d, counts in data), default=0)
    scale = PLOT_HEIGHT / (top or 1)
    columns = []
    for index, (label, day, counts) in enumerate(data):
        y = float(PLOT_HEIGHT)
        segments = []
        for status in STATUS_ORDER:
            count = int(counts.get(str(status), 0))
            height = count * scale
            y -= height
            segments.append(
                Segment(
                    str(status),
                    status_label(str(status)),
                    count,
                    round(y, 1),
                    round(height, 1),
                    COLORS[str(status)],
                )
            )
        title = ", ".join(f"{seg.label}: {seg.count}" for seg in segments)
        columns.append(Column(label, f"{day.isoformat()} — {title}", LEFT + index * (COLUMN + GAP), segments))
    width = LEFT + max(len(columns), 1) * (COLUMN + GAP) + 10
    return PostureChart(
        columns=columns,
        width=max(width, 240),
        height=PLOT_HEIGHT + BOTTOM,
        plot_height=PLOT_HEIGHT,
        top=top,
        weekly=weekly,
        legend=[(str(s), status_label(str(s)), COLORS[str(s)]) for s in STATUS_ORDER],
    )


def summary_chart(counts: dict[str, int]) -> BarChart:
    chart = bar_chart(
        [(status_label(str(s)), int(counts.get(str(s), 0))) for s in STATUS_ORDER], plot_width=300
    )
    return replace(chart, label_width=190)  # room for "Not assessed by Harbour"
