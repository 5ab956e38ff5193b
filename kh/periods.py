"""Reporting periods and their exact first and last days under a plan's cut-off rule.

A period is written ``2021`` (year), ``2021-H1`` (half), ``2021-Q2`` (quarter) or ``2021-06``
(month). Its bounds depend on the plan's ``cutoff_day``:

- ``1``: calendar months (1/6 – 30/6);
- ``d`` > 1: the month runs from day ``d`` of the previous month to day ``d - 1`` of the month;
  ``15`` is Nghị định 09/2019/NĐ-CP (15/5 – 14/6; the year 15/12 of the year before – 14/12).

Pure functions; ``as_of`` is always passed in.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime, timezone

from kh.errors import KhError

CALENDAR = 1
ND09 = 15
# The years kh works in. Python's dates end at 1 and 9999, and a period's bounds, the period
# before it and a year's cut-off reach one year past it: a year near either end would fail deep
# inside a report, so it is refused where it is typed.
MIN_YEAR, MAX_YEAR = 1900, 2999

KINDS = ("year", "half", "quarter", "month")
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_PATTERN = re.compile(r"(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2})))?")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # year | half | quarter | month
    index: int  # 1-based within the year (always 1 for a year)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.index * _MONTHS[self.kind]


# The forms people write (and kh's own period names): "3/2025", "tháng 3/2025", "tháng 3 năm 2025",
# "Q2/2025", "quý 2/2025", "quý II/2025", "6 tháng đầu năm 2025", "năm 2025". Each names one
# period whatever the reader's language; a day ("16/6/2021") or a two-digit year is refused.
_NUMERALS = {"I": 1, "II": 2, "III": 3, "IV": 4}
_WRITTEN = [
    (re.compile(r"(?:THÁNG\s*)?(\d{1,2})\s*(?:/|\s+NĂM\s+)(\d{4})"), "month"),
    (re.compile(r"(?:Q|QUÝ\s*)([1-4]|I{1,3}|IV)\s*(?:/|\s+NĂM\s+)(\d{4})"), "quarter"),
    (re.compile(r"H([12])\s*/\s*(\d{4})"), "half"),
    (re.compile(r"6 THÁNG (ĐẦU|CUỐI) NĂM (\d{4})"), "half"),
    (re.compile(r"()NĂM (\d{4})"), "year"),
]
_A_DAY = re.compile(r"\d{1,2}/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"(?:THÁNG\s*|Q|QUÝ\s*)?(\w{1,3})\s*/\s*(\d{2})")


def _written(raw: str, s: str) -> Period:
    """A period in one of the written forms above, or the refusal that says why not."""
    for pattern, kind in _WRITTEN:
        m = pattern.fullmatch(s)
        if not m:
            continue
        which, year = m.group(1), int(m.group(2))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise KhError("period.year_range", raw=raw, first=MIN_YEAR, last=MAX_YEAR)
        if kind == "month" and not 1 <= int(which) <= 12:
            raise KhError("period.no_such_month", raw=raw, month=int(which))
        if kind == "quarter":
            which = _NUMERALS.get(which) or which
        elif kind == "half":
            which = {"ĐẦU": 1, "CUỐI": 2}.get(which) or which
        if kind == "year":
            return parse_period(f"{year}")
        if kind == "month":
            return parse_period(f"{year}-{int(which):02d}")
        return parse_period(f"{year}-{'Q' if kind == 'quarter' else 'H'}{which}")
    m = _A_DAY.fullmatch(s)
    if m:  # a day: its period depends on the plan's cut-off, so kh does not pick one
        raise KhError("period.is_a_day", raw=raw, month=int(m.group(1)), year=m.group(2))
    if _SHORT_YEAR.fullmatch(s):
        raise KhError("period.short_year", raw=raw)
    raise KhError("period.malformed", raw=raw)


@lru_cache(maxsize=4096)  # imports repeat the same few periods hundreds of thousands of times
def parse_period(raw: str) -> Period:
    m = _PATTERN.fullmatch(raw.strip().upper())
    if not m:
        from kh.text import nfc

        return _written(raw, " ".join(nfc(raw).upper().split()))
    year = int(m.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise KhError("period.year_range", raw=raw, first=MIN_YEAR, last=MAX_YEAR)
    if m.group(2):
        return Period(year, "half", int(m.group(2)))
    if m.group(3):
        return Period(year, "quarter", int(m.group(3)))
    if m.group(4):
        month = int(m.group(4))
        if not 1 <= month <= 12:
            raise KhError("period.no_such_month", raw=raw, month=month)
        return Period(year, "month", month)
    return Period(year, "year", 1)


def read_zone() -> None:
    """Read TZ again (a test, or a long process, may change it): local() follows it."""
    import time

    if hasattr(time, "tzset"):
        time.tzset()


def local(moment: datetime) -> datetime:
    """A stored moment (UTC, kept without a zone) in the machine's zone, with its offset."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone()


def local_day(moment: datetime) -> str:
    """The day a stored moment fell on where kh runs: "2026-12-03" (a message's "on …")."""
    read_zone()
    return f"{local(moment):%Y-%m-%d}"


def zone_label(moment: datetime) -> str:
    """"+07", "-05", "+05:30": the offset as a table shows it after the time."""
    off = moment.utcoffset()
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{sign}{minutes // 60:02d}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def utc_now() -> datetime:
    """When something is recorded: now in UTC, stored without a zone. Only commands (and the
    store's own schema log) read the clock; everything else is given ``now``."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def check_cutoff(day: int) -> int:
    if not 1 <= day <= 28:
        raise KhError("period.cutoff_day", day=day)
    return day


def _month_start(year: int, month: int, cutoff_day: int) -> date:
    if cutoff_day == CALENDAR:
        return date(year, month, 1)
    if month == 1:
        return date(year - 1, 12, cutoff_day)
    return date(year, month - 1, cutoff_day)


def _month_end(year: int, month: int, cutoff_day: int) -> date:
    if cutoff_day == CALENDAR:
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, cutoff_day - 1)


@lru_cache(maxsize=4096)
def bounds(period: Period, cutoff_day: int = CALENDAR) -> tuple[date, date]:
    """First and last day of ``period`` (both inclusive)."""
    return (
        _month_start(period.year, period.first_month, cutoff_day),
        _month_end(period.year, period.last_month, cutoff_day),
    )


def periods_of_year(year: int, kind: str) -> list[Period]:
    return [Period(year, kind, i) for i in range(1, _PER_YEAR[kind] + 1)]


def period_containing(day: date, kind: str, cutoff_day: int = CALENDAR) -> Period:
    """The period of ``kind`` whose bounds hold ``day``."""
    year, month = day.year, day.month
    if cutoff_day != CALENDAR and day.day >= cutoff_day:
        month += 1  # 15/6 already belongs to July's reporting month under ND09
        if month == 13:
            year, month = year + 1, 1
    return Period(year, kind, (month - 1) // _MONTHS[kind] + 1)


_ROMAN = ("I", "II", "III", "IV")
_MONTH_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def period_name(period: Period | str, lang: str = "vi") -> str:
    """A period as an office writes it: "6 tháng đầu năm 2021", "quý II/2021", "tháng 6/2021",
    "năm 2021" (English: "first half of 2021", "Q2 2021", "June 2021", "2021")."""
    p = parse_period(period) if isinstance(period, str) else period
    if lang == "vi":
        if p.kind == "year":
            return f"năm {p.year}"
        if p.kind == "half":
            return f"6 tháng {'đầu' if p.index == 1 else 'cuối'} năm {p.year}"
        if p.kind == "quarter":
            return f"quý {_ROMAN[p.index - 1]}/{p.year}"
        return f"tháng {p.index}/{p.year}"
    if p.kind == "year":
        return str(p.year)
    if p.kind == "half":
        return f"{'first' if p.index == 1 else 'second'} half of {p.year}"
    if p.kind == "quarter":
        return f"Q{p.index} {p.year}"
    return f"{_MONTH_EN[p.index - 1]} {p.year}"
