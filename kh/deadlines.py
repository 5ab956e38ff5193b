"""Deadline rules → due dates. Pure functions of the rule and the plan.

"trước ngày X" (``relation = "before"``) makes X − 1 the last day that counts as on time;
"đến ngày X", "chậm nhất ngày X", "trong ngày X" (``by``) make it X. A year-only deadline ("sơ
kết giữa kỳ năm 2018") is due on 31/12 of that year. A recurring rule yields one deadline per
period of its kind that overlaps the plan's span.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kh.model import DeadlineRule, Plan
from kh.periods import Period, bounds, parse_period, periods_of_year
from kh.text import parse_day_month


@dataclass(frozen=True)
class Occurrence:
    period: Period | None  # the period the report covers, when known
    due: date  # the last day that counts as on time


def _last_on_time(day: date, relation: str) -> date:
    return day - timedelta(days=1) if relation == "before" else day


def occurrences(rule: DeadlineRule, plan: Plan) -> list[Occurrence]:
    covers = parse_period(rule.covers) if rule.covers else None
    if rule.shape == "once":
        return [Occurrence(covers, _last_on_time(rule.date, rule.relation))]
    if rule.shape == "year":
        return [Occurrence(covers or Period(rule.year, "year", 1), date(rule.year, 12, 31))]
    first = rule.from_year or plan.start.year
    last = rule.until_year or plan.end.year
    out = []
    for year in range(first, last + 1):
        for i, period in enumerate(periods_of_year(year, rule.every)):
            start, end = bounds(period, plan.cutoff_day)
            if end < plan.start or start > plan.end:
                continue
            if rule.on is not None:
                d, m = parse_day_month(rule.on[i])
                due = _last_on_time(date(year, m, d), rule.relation)
            elif rule.day is not None:
                due = _last_on_time(date(year, period.last_month, rule.day), rule.relation)
            else:
                due = end + timedelta(days=rule.after_end)
            out.append(Occurrence(period, due))
    return out


def task_due(plan: Plan, task) -> list[Occurrence]:
    """When a task is due: its own rule, else its phase's last day, else never (open)."""
    if task.due is not None:
        return occurrences(task.due, plan)
    if task.phase is not None:
        phase = next(p for p in plan.phases if p.key == task.phase)
        return [Occurrence(None, phase.end)]
    return []
