"""Posture over time: stacked columns per day, per week over longer spans, scaled to the rule count."""

from __future__ import annotations

import datetime as dt

from harbour.compliance.charts import DAILY_UP_TO, PLOT_HEIGHT, posture_chart
from harbour.compliance.models import PostureSnapshot


def _snapshot(day: dt.date, gap: int, met: int) -> PostureSnapshot:
    counts = {"gap": gap, "met": met, "not_applicable": 0, "not_assessed": 45 - gap - met}
    return PostureSnapshot(day=day, taken_at=dt.datetime.now(dt.UTC), counts=counts)


def test_one_column_per_day_stacked_to_the_rule_count() -> None:
    start = dt.date(2026, 11, 1)
    chart = posture_chart([_snapshot(start + dt.timedelta(days=i), gap=5 - i, met=i) for i in range(3)])
    assert not chart.weekly and [c.label for c in chart.columns] == ["11-01", "11-02", "11-03"]
    assert chart.top == 45
    first = chart.columns[0]
    assert sum(s.height for s in first.segments) == PLOT_HEIGHT
    assert [(s.status, s.count) for s in first.segments][:2] == [("gap", 5), ("met", 0)]
    assert "Gap: 5" in first.title


def test_long_histories_show_the_last_snapshot_of_each_week() -> None:
    start = dt.date(2026, 8, 3)  # a Monday
    snapshots = [_snapshot(start + dt.timedelta(days=i), gap=i % 7, met=1) for i in range(DAILY_UP_TO + 4)]
    chart = posture_chart(snapshots)
    assert chart.weekly
    assert len(chart.columns) == 5  # 35 days from a Monday: five weeks
    assert chart.columns[0].segments[0].count == 6  # Sunday's snapshot stands for its week


def test_no_snapshots_draws_nothing() -> None:
    chart = posture_chart([])
    assert chart.columns == [] and chart.top == 0
