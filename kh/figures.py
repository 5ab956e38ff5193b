"""Recorded figures before they reach the store: strict parsing and the rules a figure must
keep. Pure functions; ``as_of`` is passed in.

Rules (docs/gap.md explains them):
- counts are whole numbers (``kh.text.parse_count``);
- a share (and milestones of a share) is recorded as numerator out of a positive denominator,
  the numerator never above it; other kinds take no denominator;
- a period may precede the plan (a baseline year) but may not lie in the future.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from kh.errors import KhError
from kh.model import Indicator, Plan
from kh.periods import Period, bounds, parse_period
from kh.text import nfc, parse_count

COLUMNS = ("plan", "ref", "unit", "period", "value", "denominator", "note")


@dataclass
class NewFigure:
    plan: str
    ref: str
    unit: str
    period: Period
    value: int
    denominator: int | None = None
    note: str | None = None
    where: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.plan, self.ref, self.unit, str(self.period))

    @property
    def months(self) -> tuple[int, int]:
        """First and last month as year × 12 + month − 1 (what the store sums over)."""
        return month_index(self.period)


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
                      where=where)


def parse_row(cells: dict[str, str], where: str, names: dict[str, str] | None = None) -> NewFigure:
    """One CSV row (or command line) of text → a figure, every cell checked strictly.

    Errors say ``where: column``, or the name in ``names`` (``--of`` for the denominator)."""
    def cell(col: str) -> str:
        return nfc(cells.get(col) or "").strip()

    def at(col: str) -> str:
        return names[col] if names else f"{where}: {col}"

    for col in ("plan", "ref", "unit", "period", "value"):
        if not cell(col):
            raise KhError(f"{col} is empty", where=at(col))
    try:
        period = parse_period(cell("period"))
    except KhError as e:
        raise KhError(e.message, where=at("period")) from None
    values = {}
    for col in ("value", "denominator"):
        if cell(col):
            try:
                values[col] = parse_count(cell(col))
            except KhError as e:
                raise KhError(e.message, where=at(col)) from None
    return NewFigure(cell("plan"), cell("ref"), cell("unit"), period, values["value"],
                     values.get("denominator"), cell("note") or None, where if not names else "")


def read_csv(text: str, name: str) -> list[NewFigure]:
    """CSV with the INTERFACE columns; duplicate plan/ref/unit/period rows are refused."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise KhError("the file is empty; it needs the header " + ",".join(COLUMNS), where=name) from None
    missing = [c for c in COLUMNS[:5] if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        what = f"missing column(s) {', '.join(missing)}" if missing else f"unknown column(s) {', '.join(unknown)}"
        raise KhError(f"{what}; the columns are {','.join(COLUMNS)}", where=f"{name}:1")
    out: list[NewFigure] = []
    seen: dict[tuple, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise KhError(f"{len(row)} cells where the header has {len(header)}", where=f"{name}:{line}")
        f = parse_row(dict(zip(header, row)), f"{name}:{line}")
        if f.key in seen:
            raise KhError(f"the same plan, ref, unit and period as line {seen[f.key]}", where=f"{name}:{line}")
        seen[f.key] = line
        out.append(f)
    return out
