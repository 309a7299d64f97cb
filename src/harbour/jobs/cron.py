"""Cron expressions ("m h dom mon dow", read in Hong Kong time) through croniter: checked once when the
schedule is declared, then asked for the slots around a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from croniter import CroniterError, croniter
from django.core.exceptions import ImproperlyConfigured

from harbour.core.time import HONG_KONG

FIELDS = "minute hour day-of-month month day-of-week"


class CronError(ImproperlyConfigured):
    """A periodic job's expression is not a five-field cron expression that ever fires."""


@dataclass(frozen=True)
class Cron:
    """A valid five-field cron expression. Slots are whole minutes in Asia/Hong_Kong (which keeps no
    daylight saving, so every slot exists exactly once)."""

    expression: str

    @classmethod
    def parse(cls, expression: str, *, name: str = "") -> Cron:
        text = " ".join(str(expression).split())
        where = f"periodic job {name!r}: " if name else ""
        if len(text.split(" ")) != 5:
            raise CronError(f"{where}{expression!r} is not a cron expression of five fields ({FIELDS})")
        try:
            if not croniter.is_valid(text):
                raise CroniterError("not accepted")
            croniter(text, dt.datetime(2000, 1, 1, tzinfo=HONG_KONG)).get_next(dt.datetime)
        except (CroniterError, ValueError, KeyError) as exc:
            raise CronError(
                f"{where}{expression!r} is not a valid cron expression ({FIELDS}): {exc}"
            ) from None
        return cls(text)

    def latest_at_or_before(self, moment: dt.datetime) -> dt.datetime:
        """The last slot not later than ``moment``: the run that should have started by now."""
        start = moment.astimezone(HONG_KONG).replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        return croniter(self.expression, start).get_prev(dt.datetime)

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first slot strictly later than ``moment``."""
        return croniter(self.expression, moment.astimezone(HONG_KONG)).get_next(dt.datetime)
