"""Recorded figures before they reach the store: strict parsing and the rules a figure must
keep. Pure functions; ``as_of`` is passed in.

Rules (docs/gap.md explains them):
- counts are whole numbers (``kh.text.parse_count``);
- a share (and milestones of a share) is recorded as numerator out of a positive denominator,
  the numerator never above it; other kinds take no denominator;
- a period may precede the plan (a baseline year) but may not lie in the future.
"""

from __future__ import annotations

from functools import lru_cache
from datetime import date
from operator import itemgetter

from kh.errors import KhError
from kh.model import Indicator, Plan
from kh.periods import Period, bounds, parse_period
from kh.text import csv_rows, nfc, parse_count

COLUMNS = ("plan", "ref", "unit", "period", "value", "denominator", "note")


class NewFigure:
    """A figure to record. ``label`` and ``months`` (first and last month, year × 12 + month − 1)
    are derived once: an import checks hundreds of thousands of these."""

    __slots__ = ("plan", "ref", "unit", "period", "value", "denominator", "note", "where", "label", "months")

    def __init__(self, plan: str, ref: str, unit: str, period: Period, value: int,
                 denominator: int | None = None, note: str | None = None, where: str = ""):
        self.plan, self.ref, self.unit, self.period = plan, ref, unit, period
        self.value, self.denominator, self.note, self.where = value, denominator, note, where
        self.label, self.months = _derived(period)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.plan, self.ref, self.unit, self.label)


@lru_cache(maxsize=4096)
def _derived(p: Period) -> tuple[str, tuple[int, int]]:
    return str(p), month_index(p)


@lru_cache(maxsize=4096)
def month_index(p: Period) -> tuple[int, int]:
    return p.year * 12 + p.first_month - 1, p.year * 12 + p.last_month - 1


def takes_denominator(ind: Indicator) -> bool:
    return ind.kind == "share" or (ind.kind == "milestones" and ind.of == "share")


def check(f: NewFigure, plan: Plan, ind: Indicator, as_of: date) -> None:
    """Refuse a figure that breaks the rules for its indicator and date."""
    where = f.where or "VALUE"
    if takes_denominator(ind):
        if f.denominator is None:
            raise KhError(f"{f.ref} is a share ({ind.target_text}): give the whole it is out of "
                          f"(--of, or the denominator column)", where=where)
        if f.denominator <= 0:
            raise KhError("the denominator of a share must be positive", where=where)
        if f.value > f.denominator:
            raise KhError(f"{f.value} out of {f.denominator} is more than 100 %", where=where)
    elif f.denominator is not None:
        raise KhError(f"{f.ref} is a {ind.kind} target, not a share: it takes no denominator", where=where)
    start, _ = bounds(f.period, plan.cutoff_day)
    if start > as_of:
        raise KhError(f"period {f.period} starts on {start}, after {as_of}: it lies in the future",
                      where=f.where or "--period")


def _clean(v: str | None) -> str:
    v = (v or "").strip()
    return v if v.isascii() else nfc(v)


def parse_row(cells: dict[str, str], where: str, names: dict[str, str] | None = None,
              line: int | None = None) -> NewFigure:
    """One CSV row (or command line) of text → a figure, every cell checked strictly.

    Errors say ``where:line: column``, or the name in ``names`` (``--of`` for the denominator)."""
    values = [_clean(cells.get(col)) for col in COLUMNS]
    if line is not None:
        where = f"{where}:{line}"
    return _figure(values, where, names)


def _figure(values: list[str], where: str, names: dict[str, str] | None) -> NewFigure:
    plan, ref, unit, period_s, value_s, den_s, note = values

    def at(col: str) -> str:
        return names[col] if names else f"{where}: {col}"

    for col, v in (("plan", plan), ("ref", ref), ("unit", unit), ("period", period_s), ("value", value_s)):
        if not v:
            raise KhError(f"{col} is empty", where=at(col))
    try:
        period = parse_period(period_s)
    except KhError as e:
        raise KhError(e.message, where=at("period")) from None
    counts = []
    for col, v in (("value", value_s), ("denominator", den_s)):
        try:
            counts.append(parse_count(v) if v else None)
        except KhError as e:
            raise KhError(e.message, where=at(col)) from None
    return NewFigure(plan, ref, unit, period, counts[0], counts[1], note or None, where if not names else "")


def read_csv(text: str, name: str) -> list[NewFigure]:
    """CSV with the INTERFACE columns, every cell checked; rows repeating a plan/ref/unit/period
    are refused when recorded (kh.store.figure_rows.record), with both lines named."""
    reader, header = csv_rows(text, name, COLUMNS[:5], COLUMNS[5:])
    width = len(header)
    # Where each column sits in a row; an optional column that is absent reads as empty.
    pick = [header.index(c) if c in header else None for c in COLUMNS]
    # With every column present, one C-level call picks and strips a row (200,000 rows).
    get = itemgetter(*pick) if None not in pick else None
    out: list[NewFigure] = []
    for row in reader:
        line = reader.line_num
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue
            raise KhError(f"{len(row)} cells where the header has {width}", where=f"{name}:{line}")
        if "".join(row).isascii():  # the usual case: nothing to normalise
            values = list(map(str.strip, get(row))) if get else [row[i].strip() if i is not None else ""
                                                                 for i in pick]
        else:
            values = [_clean(row[i]) if i is not None else "" for i in pick]
        plan, ref, unit, period_s, value_s, den_s, note = values
        if plan and ref and unit and value_s.isdigit() and len(value_s) <= 15 and value_s.isascii() \
                and (not den_s or (den_s.isdigit() and len(den_s) <= 15 and den_s.isascii())):
            try:  # the usual row, without the checks that only explain what is wrong
                f = NewFigure(plan, ref, unit, parse_period(period_s), int(value_s),
                              int(den_s) if den_s else None, note or None, f"{name}:{line}")
            except KhError:
                f = _figure(values, f"{name}:{line}", None)
        elif not any(values):
            continue
        else:
            f = _figure(values, f"{name}:{line}", None)
        out.append(f)
    return out
