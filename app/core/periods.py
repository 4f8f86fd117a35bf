"""Periods of whole days of the shop, named or chosen (no Qt): the dashboard's, the till's "today".

Days are the shop's days: midnight to midnight in its time zone (the settings
document's), whatever the time zone of the computer the manager runs on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

__all__ = ["Period", "PeriodChoice", "shop_today"]


class PeriodChoice(StrEnum):
    """The periods the dashboard offers; ``CUSTOM`` is any from/to the owner picks."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    THIS_MONTH = "this_month"
    THIS_YEAR = "this_year"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class Period:
    """From ``first`` to ``last``, both included (one day: ``first == last``)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @classmethod
    def of(cls, choice: PeriodChoice, today: date) -> Period:
        """The named period around ``today`` (weeks start on Monday; up to today)."""
        if choice is PeriodChoice.TODAY:
            return cls(today, today)
        if choice is PeriodChoice.YESTERDAY:
            return cls(today - timedelta(days=1), today - timedelta(days=1))
        if choice is PeriodChoice.THIS_WEEK:
            return cls(today - timedelta(days=today.weekday()), today)
        if choice is PeriodChoice.THIS_MONTH:
            return cls(today.replace(day=1), today)
        if choice is PeriodChoice.THIS_YEAR:
            return cls(today.replace(month=1, day=1), today)
        raise ValueError("a custom period has no default dates")

    @property
    def days(self) -> int:
        """How many days it spans."""
        return (self.last - self.first).days + 1

    @property
    def one_day(self) -> bool:
        return self.first == self.last

    def each_day(self) -> list[date]:
        """Its days, in order."""
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def compared(self) -> Period:
        """What it is compared with: one day with the same day a week before, a longer
        period with the as long period just before it."""
        shift = timedelta(days=7 if self.one_day else self.days)
        return Period(self.first - shift, self.last - shift)

    def bounds(self, zone: tzinfo) -> tuple[int, int]:
        """Unix seconds of the shop's midnight starting ``first`` and of the one ending ``last``."""
        start = datetime.combine(self.first, time.min, zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, zone)
        return int(start.timestamp()), int(end.timestamp())


def shop_today(now: float, zone: tzinfo) -> date:
    """The shop's date at unix time ``now``."""
    return datetime.fromtimestamp(now, zone).date()
