"""What a commune officer still owes (``kh todo``) and which figures guided entry asks for.

Pure: the store gives the plans, the unit, its figures and what was sent; ``as_of`` is passed in.

The rules (docs/commands.md, "kh todo"):

- **the period**: ``--period``, else the latest month that has ended by ``as_of``, under the
  cut-off of the plans that concern the unit (calendar months when they differ);
- **figures**: every indicator of a plan whose span overlaps the period, whose area holds the
  unit then (the store decides that), and whose reporting level (``reported_by``) is the unit's
  kind. Its status: ``recorded`` (a figure for exactly this period), ``covered`` (a figure for
  a period that overlaps it, such as the quarter: ``kh record`` refuses a second one), else
  ``missing``; with the last value recorded before the period;
- **reports and tasks**: those of the unit's assignees not done by ``as_of`` that are overdue,
  due soon, or due within the period; tasks also when open without a due day, and each task's
  next due day when it is not due yet.
"""

from __future__ import annotations

import re
from datetime import date

from kh.deadlines import DUE_SOON, NOT_DUE, OPEN, OVERDUE, obligation_rows, task_rows
from kh.figures import NewFigure, check, month_index, parse_row, takes_denominator
from kh.model import Indicator, Plan
from kh.periods import CALENDAR, Period, bounds, period_containing
from kh.text import fold

MISSING, RECORDED, COVERED = "missing", "recorded", "covered"
COLUMNS = ["section", "plan", "item", "name", "unit", "period", "period_start", "period_end", "target",
           "last_value", "last_denominator", "last_period", "value", "denominator", "covered_by", "assignee", "due", "days_overdue", "status"]

# The words a plan uses for every unit of a kind at once ("Ủy ban nhân dân các xã, phường",
# "UBND cấp xã"): such an assignee binds each unit of that kind.
_KIND_WORDS = {"province": r"tỉnh|thành phố", "district": r"huyện|quận|thị xã|thành phố",
               "commune": r"xã|phường|thị trấn|đặc khu", "village": r"thôn|bản|tổ dân phố|khu phố|ấp"}
_CODE_IN_NAME = re.compile(r"\((\d+)\)")


def default_period(as_of: date, cutoffs: set[int]) -> Period:
    """The month being reported on ``as_of``: the latest one that has ended by then (its last
    day on or before it) — under the plans' one cut-off, else in calendar months. On 3/11 a
    calendar plan reports October; a plan cut on the 15th reports "tháng 11" (15/10 – 14/11)
    from 14/11 on."""
    cutoff = next(iter(cutoffs)) if len(cutoffs) == 1 else CALENDAR
    p = period_containing(as_of, "month", cutoff)
    if bounds(p, cutoff)[1] > as_of:
        p = Period(p.year, "month", p.index - 1) if p.index > 1 else Period(p.year - 1, "month", 12)
    return p


def overlaps(plan: Plan, period: Period) -> bool:
    first, last = bounds(period, plan.cutoff_day)
    return first <= plan.end and plan.start <= last


def indicators_for(plans: list[Plan], kind: str) -> list[tuple[Plan, Indicator]]:
    """The indicators a unit of ``kind`` reports (the plans are those that concern it)."""
    return [(p, i) for p in plans for i in p.indicators if i.reported_by == kind]


def assignees_of(plans: list[Plan], code: str, names: list[str], kind: str) -> list[str]:
    """The plans' assignees that stand for the unit: one whose name holds the unit's name
    ("Công an xã Cao Lộc", "UBND Xã Cao Lộc" for "Xã Cao Lộc") unless it names another unit's
    code in brackets (names repeat across provinces), and one that names every unit of its kind
    ("Ủy ban nhân dân các xã, phường", "UBND cấp xã"), aliases counted."""
    own = [fold(n) for n in names if n.strip()]
    every = re.compile(rf"\b(?:các|cấp)\s+(?:{_KIND_WORDS.get(kind, '$^')})\b")
    out = []
    for p in plans:
        for a in p.assignees:
            for text in (a.name, *a.aliases):
                f = fold(text)
                codes = _CODE_IN_NAME.findall(text)
                if (any(n in f for n in own) and (not codes or code in codes)) or every.search(f):
                    out.append(a.name)
                    break
    return sorted(set(out))


def figure_rows(plans: list[Plan], unit: dict, period: Period, figures: list[dict],
                last: list[dict]) -> list[dict]:
    """One row per indicator the unit reports for ``period``. ``figures``: the unit's current
    figures overlapping the period (plan, ref, period, value, denominator); ``last``: its latest
    figure before the period per indicator (the same keys)."""
    lo, hi = month_index(period)
    here: dict[tuple, list[dict]] = {}
    for f in figures:
        here.setdefault((f["plan"], f["ref"]), []).append(f)
    before = {(f["plan"], f["ref"]): f for f in last}
    rows = []
    for p, ind in indicators_for(plans, unit["kind"]):
        first, end = bounds(period, p.cutoff_day)
        found = here.get((p.id, ind.ref), [])
        exact = [f for f in found if f["period"] == str(period)]
        # A figure for exactly the period is its value; figures of other periods overlapping it
        # (the months of a quarter, or the quarter of a month) are named, their value shown
        # only when there is one (a sum of months would be a flow's, not a stock's).
        f = exact[0] if exact else found[0] if len(found) == 1 else None
        prev = before.get((p.id, ind.ref))
        status = RECORDED if exact else COVERED if found else MISSING
        rows.append(dict(section="figure", plan=p.id, item=ind.ref, name=ind.name, unit=unit["code"],
                         period=str(period), period_start=first, period_end=end, target=ind.target_text,
                         last_value=prev and prev["value"], last_denominator=prev and prev["denominator"],
                         last_period=prev and prev["period"],
                         value=f and f["value"], denominator=f and f["denominator"],
                         covered_by=None if exact else "; ".join(x["period"] for x in found) or None,
                         assignee=None, due=None, days_overdue=None, status=status,
                         share=takes_denominator(ind) and ind.denominator_measure != "fixed",
                         counts=ind.counts))
    return rows


def owed_rows(plans: list[Plan], done: dict[str, dict], as_of: date, period: Period, assignees: list[str]) -> list[dict]:
    """The reports and tasks of ``assignees`` not done by ``as_of`` that are overdue, due soon,
    due within ``period`` under the plan's cut-off; tasks also open without a due day, or at
    their next due day. ``done``:
    plan id → what was done (``kh.deadlines.Done``)."""
    out = []
    for p in plans:
        first, last = bounds(period, p.cutoff_day)

        def wanted(r) -> bool:
            return r["status"] in (OVERDUE, DUE_SOON, OPEN) or (r["due"] is not None and first <= r["due"] <= last)

        # One assignee at a time: a national plan binds thousands of communes' committees.
        obligations = [r for a in assignees for r in obligation_rows(p, done.get(p.id, {}), as_of, assignee=a)]
        tasks = [r for a in assignees for r in task_rows(p, done.get(p.id, {}), as_of, assignee=a)]
        for r in obligations:
            if r["submitted_on"] is None and wanted(r):
                out.append(dict(section="report", plan=p.id, item=r["obligation"], name=r["obligation_name"],
                                unit=None, period=r["period"], period_start=r["period_start"],
                                period_end=r["period_end"], assignee=r["assignee"], due=r["due"],
                                days_overdue=r["days_overdue"], status=r["status"]))
        # A task not due yet is still open work: its next due day is listed (one per task).
        nxt: dict[tuple, date] = {}
        for r in tasks:
            if r["done_on"] is None and r["status"] == NOT_DUE:
                k = (r["ref"], r["assignee"])
                nxt[k] = min(nxt.get(k, date.max), r["due"])
        for r in tasks:
            if r["done_on"] is None and (wanted(r) or r["due"] == nxt.get((r["ref"], r["assignee"]))):
                out.append(dict(section="task", plan=p.id, item=r["ref"], name=r["task"], unit=None,
                                period=r["period"], period_start=r["period_start"], period_end=r["period_end"],
                                assignee=r["assignee"], due=r["due"], days_overdue=r["days_overdue"],
                                status=r["status"]))
    # Most late first, then the nearest due day; open tasks (no day) last.
    out.sort(key=lambda r: (r["section"] != "report", r["due"] is None, r["due"] or date.max, r["plan"], r["item"]))
    return out


# The names a refusal of a guided answer would carry (it shows only the message, not these).
_NAMES = dict(plan="PLAN", ref="REF", unit="--unit", period="--period", value="VALUE", denominator="--of")


def parse_answer(plan: Plan, ind: Indicator, unit: str, period: Period, value: str, denominator: str | None,
                 as_of: date) -> NewFigure:
    """One answer of guided entry → a figure, by the rules of ``kh record`` itself (the same
    parser and checks: strict Vietnamese numbers, a share's whole, no future period)."""
    fig = parse_row(dict(plan=plan.id, ref=ind.ref, unit=unit, period=str(period), value=value,
                         denominator=denominator or "", note=""), "", names=_NAMES)
    check(fig, plan, ind, as_of)
    return fig
