"""Deadline rules → due dates → statuses. Pure functions of the rule, the plan and ``as_of``.

"trước ngày X" (``relation = "before"``) makes X − 1 the last day that counts as on time;
"đến ngày X", "chậm nhất ngày X", "trong ngày X" (``by``) make it X. A year-only deadline ("sơ
kết giữa kỳ năm 2018") is due on 31/12 of that year. A recurring rule yields one deadline per
period of its kind that overlaps the plan's span. A plan with ``working_days`` moves a due day
that falls on a weekend or public holiday to the next working day (Bộ luật Dân sự 2015, art.
148), by Vietnam's official calendar from the ``holidays`` package, swapped days included.

Each obligation binds each of its assignees separately: one row per assignee and period.
docs/deadlines.md explains the rules with the seeds' own sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kh.errors import KhError, NotFound
from kh.i18n import Msg
from kh.model import DeadlineRule, Plan
from kh.periods import Period, bounds, parse_period, periods_of_year
from kh.text import parse_day_month


@dataclass(frozen=True)
class Occurrence:
    period: Period | None  # the period the report covers, when known
    due: date  # the last day that counts as on time


NOT_DUE, DUE_SOON, OVERDUE, DONE_ON_TIME, DONE_LATE, OPEN = (
    "not_due", "due_soon", "overdue", "done_on_time", "done_late", "open")


def last_on_time(day: date, relation: str) -> date:
    """ "trước ngày X" (before) → X − 1: on X it is late; "chậm nhất ngày X" (by) → X."""
    return day - timedelta(days=1) if relation == "before" else day


def next_working_day(day: date) -> date:
    """``day`` itself if people work that day, else the next day they do."""
    import holidays  # only plans that ask for working days pay for the calendar

    calendar = holidays.country_holidays("VN", years=range(day.year, day.year + 2))
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def occurrences(rule: DeadlineRule, plan: Plan) -> list[Occurrence]:
    found = _occurrences(rule, plan)
    if plan.working_days:
        return [Occurrence(o.period, next_working_day(o.due)) for o in found]
    return found


def _occurrences(rule: DeadlineRule, plan: Plan) -> list[Occurrence]:
    covers = parse_period(rule.covers) if rule.covers else None
    if rule.shape == "once":
        return [Occurrence(covers, last_on_time(rule.date, rule.relation))]
    if rule.shape == "year":
        return [Occurrence(covers or Period(rule.year, "year", 1), date(rule.year, 12, 31))]
    # ``from``/``until``: a year, or the first / last period owed ("2017-H2").
    lo = bounds(_as_period(rule.from_year), plan.cutoff_day)[0] if rule.from_year else None
    hi = bounds(_as_period(rule.until_year), plan.cutoff_day)[1] if rule.until_year else None
    first = _as_period(rule.from_year).year if rule.from_year else plan.start.year
    last = _as_period(rule.until_year).year if rule.until_year else plan.end.year
    out = []
    for year in range(first, last + 1):
        for i, period in enumerate(periods_of_year(year, rule.every)):
            start, end = bounds(period, plan.cutoff_day)
            if end < plan.start or start > plan.end or (lo and start < lo) or (hi and end > hi):
                continue
            if rule.on is not None:
                d, m = parse_day_month(rule.on[i])
                due = last_on_time(date(year, m, d), rule.relation)
            elif rule.day is not None:
                due = last_on_time(date(year, period.last_month, rule.day), rule.relation)
            else:
                due = end + timedelta(days=rule.after_end)
            out.append(Occurrence(period, due))
    return out


def _as_period(v: int | str) -> Period:
    return Period(v, "year", 1) if isinstance(v, int) else parse_period(v)


def task_due(plan: Plan, task) -> list[Occurrence]:
    """When a task is due: its own rule, else its phase's last day, else never (open)."""
    if task.due is not None:
        return occurrences(task.due, plan)
    if task.phase is not None:
        phase = next(p for p in plan.phases if p.key == task.phase)
        return [Occurrence(None, phase.end)]
    return []


def status(due: date | None, done_on: date | None, as_of: date, soon_days: int) -> tuple[str, int | None]:
    """(status, days_overdue). Done: on time or late, and how many days late. Not done: overdue
    from the day after ``due`` (counting the days), due soon within ``soon_days`` of it."""
    if due is None:
        return (DONE_ON_TIME, None) if done_on else (OPEN, None)
    if done_on is not None:
        late = (done_on - due).days
        return (DONE_LATE, late) if late > 0 else (DONE_ON_TIME, None)
    if as_of > due:
        return OVERDUE, (as_of - due).days
    if (due - as_of).days <= soon_days:
        return DUE_SOON, None
    return NOT_DUE, None


# What was done: (kind, item, assignee, period label or "") → the day it was done (a date, or
# its ISO text as SQLite's driver returns it; ``day`` reads either).
Done = dict[tuple[str, str, str, str], "date | str"]
# (``Sent`` below answers the same questions without the days, for the overdue list.)


class Sent:
    """What was done, without when — all the overdue list needs: (kind, item, assignee) → the
    period labels done. ``get`` answers like a ``Done`` mapping (True, or None)."""

    __slots__ = ("_periods",)

    def __init__(self, periods: dict[tuple[str, str, str], set[str]]):
        self._periods = periods

    @classmethod
    def of(cls, done: Done) -> "Sent":
        periods: dict[tuple[str, str, str], set[str]] = {}
        for kind, item, assignee, period in done:
            periods.setdefault((kind, item, assignee), set()).add(period)
        return cls(periods)

    def periods(self, kind: str, item: str, assignee: str) -> set[str]:
        return self._periods.get((kind, item, assignee), _NONE)

    def get(self, key: tuple[str, str, str, str]):
        kind, item, assignee, period = key
        return True if period in self.periods(kind, item, assignee) else None


_NONE: set[str] = set()


def day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _bounds(plan: Plan, period: Period | None) -> dict:
    if period is None:
        return dict(period=None, period_start=None, period_end=None)
    start, end = bounds(period, plan.cutoff_day)
    return dict(period=str(period), period_start=start, period_end=end)


def obligation_rows(plan: Plan, done: Done, as_of: date, *, soon: int | None = None,
                    assignee: str | None = None, only: str | None = None) -> list[dict]:
    """Every obligation × assignee × period of ``plan`` with its due day and status (or only
    those with the status ``only``: a national overdue list skips the 95 % sent)."""
    soon = plan.due_soon_days if soon is None else soon
    rows = []
    for ob in plan.obligations:
        occs = [(occ, str(occ.period) if occ.period else "") for occ in occurrences(ob.due, plan)]
        if only == OVERDUE:
            # Thousands of communes × every quarter: look up, per assignee, the periods it sent,
            # and build rows only for the few it did not.
            sent = done if isinstance(done, Sent) else Sent.of(done)
            late = [(occ, label, _bounds(plan, occ.period)) for occ, label in occs if occ.due < as_of]
            for name in plan.debtors(ob):
                if assignee and name != assignee:
                    continue
                have = sent.periods("obligation", ob.key, name)
                for occ, label, span in late:
                    if label not in have:
                        st, days = status(occ.due, None, as_of, soon)
                        rows.append(dict(plan=plan.id, obligation=ob.key, obligation_name=ob.name,
                                         assignee=name, to=ob.to, deadline_text=ob.deadline_text,
                                         due=occ.due, submitted_on=None, days_overdue=days, status=st, **span))
            continue
        for name in plan.debtors(ob):
            if assignee and name != assignee:
                continue
            for occ, label in occs:
                done_on = done.get(("obligation", ob.key, name, label))
                if only == OVERDUE and done_on is not None:
                    continue
                done_on = day(done_on)
                st, late = status(occ.due, done_on, as_of, soon)
                if only and st != only:
                    continue
                rows.append(dict(plan=plan.id, obligation=ob.key, obligation_name=ob.name,
                                 assignee=name, to=ob.to, deadline_text=ob.deadline_text,
                                 due=occ.due, submitted_on=done_on, days_overdue=late, status=st,
                                 **_bounds(plan, occ.period)))
    return rows


def task_rows(plan: Plan, done: Done, as_of: date, *, soon: int | None = None,
              assignee: str | None = None, only: str | None = None) -> list[dict]:
    """One row per task × assignee (lead, then support) × due occurrence, with its status."""
    soon = plan.due_soon_days if soon is None else soon
    rows = []
    for task in plan.tasks:
        dues = task_due(plan, task) or [None]
        for name, role in [(n, "lead") for n in task.lead] + [(n, "support") for n in task.support]:
            if assignee and name != assignee:
                continue
            for occ in dues:
                period = occ.period if occ else None
                done_on = done.get(("task", task.ref, name, str(period) if period else ""))
                if only == OVERDUE and done_on is not None:
                    continue
                done_on = day(done_on)
                st, late = status(occ.due if occ else None, done_on, as_of, soon)
                if only and st != only:
                    continue
                rows.append(dict(plan=plan.id, ref=task.ref, task=task.text, assignee=name, role=role,
                                 due=occ.due if occ else None, done_on=done_on, days_overdue=late,
                                 status=st, **_bounds(plan, period)))
    return rows


# ---------------------------------------------------------------- marking sent or done


def check_done_on(kind: str, on: date, as_of: date) -> None:
    """A report is not sent, nor a task done, after ``as_of``."""
    if on > as_of:
        raise KhError("submit.future" if kind == "obligation" else "task.done_future", where="--on",
                      day=on, today=as_of)


def period_to_mark(plan: Plan, kind: str, item: str, who: str, period: Period | None) -> str:
    """The period label under which ``who`` marks ``item`` of ``plan`` sent (``kind``
    "obligation", ``item`` its key) or done ("task", its ref): ``period`` when given, else the
    item's only one ("" for an item without periods). Refused: an unknown item, an assignee it
    does not bind, a period it does not cover, a recurring item without ``period``."""
    from kh.suggest import did_you_mean

    if kind == "obligation":
        ob = next((o for o in plan.obligations if o.key == item), None)
        if ob is None:
            keys = [o.key for o in plan.obligations]
            raise NotFound("obligation.not_found", where="OBLIGATION", plan=plan.id, item=item,
                           suggest=did_you_mean(item, keys))
        if who not in plan.debtors(ob):
            raise KhError("obligation.not_owed", where="--assignee", who=who, item=item, name=ob.name, plan=plan.id)
        occs = occurrences(ob.due, plan)
    else:
        task = next((x for x in plan.tasks if x.ref == item), None)
        if task is None:
            refs = [x.ref for x in plan.tasks]
            raise NotFound("task.not_found", where="REF", plan=plan.id, item=item, suggest=did_you_mean(item, refs))
        if who not in task.lead + task.support:
            raise KhError("task.not_assigned", where="--assignee", who=who, item=item, plan=plan.id)
        occs = task_due(plan, task)
    labels = [str(o.period) if o.period else "" for o in occs] or [""]
    if period is not None:
        label = str(period)
        if label not in labels:
            shown = ", ".join(x for x in labels if x) or Msg("word.none")
            raise KhError("deadline.no_such_period", where="--period", item=item, period=label, shown=shown)
        return label
    if len(set(labels)) == 1:
        return labels[0]
    raise KhError("deadline.which_period", where="--period", item=item, shown=", ".join(labels))


# ---------------------------------------------------------------- the overdue list


def overdue_list(plans: list[Plan], done: Done | Sent, as_of: date, *, assignee: str | None = None,
                 reports: bool = True, tasks: bool = True) -> list[dict]:
    """Everything late on ``as_of``, in one shape (``kind`` report or task): every overdue
    report, and every task past due for its lead (chủ trì), named by ref and its whole text (a
    paper never cuts it; the terminal table does, ``short``). Most late first; among equals, by due day, plan, and the assignees in the order
    their plan lists them."""
    late: list[dict] = []
    for plan in plans:
        if reports:
            late += [dict(r, kind="report")
                     for r in obligation_rows(plan, done, as_of, assignee=assignee, only=OVERDUE)]
        if tasks:
            late += [dict(plan=r["plan"], obligation=r["ref"], obligation_name=r["task"],
                          assignee=r["assignee"], period=r["period"], deadline_text=None, due=r["due"],
                          submitted_on=None, days_overdue=r["days_overdue"], status=r["status"], to=None,
                          period_start=r["period_start"], period_end=r["period_end"], kind="task")
                     for r in task_rows(plan, done, as_of, assignee=assignee, only=OVERDUE)
                     if r["role"] == "lead"]
    return sort_overdue(late, plans)


def sort_overdue(late: list[dict], plans: list[Plan]) -> list[dict]:
    """Most late first; among equals, by due day, plan, and the plan's order of assignees."""
    order = {(p.id, a.name): i for p in plans for i, a in enumerate(p.assignees)}
    late.sort(key=lambda r: (-r["days_overdue"], r["due"], r["plan"], order.get((r["plan"], r["assignee"]), 0)))
    return late


def short(text: str, limit: int = 90) -> str:
    """A task's text as a terminal table shows it; files and papers carry it whole."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


RATE_COLUMNS = ["group", "due", "sent_on_time", "sent_late", "missing", "rate_sent", "rate_on_time"]


def rates(rows: list[dict], as_of: date, by: str = "assignee") -> list[dict]:
    """The reporting rate (tỷ lệ báo cáo, DHIS2's reporting rate) of obligation rows made for
    ``as_of``: per assignee (or per obligation), the reports whose last on-time day has passed,
    how many were sent on time, late, or not at all, and the rates in percent (exact fractions;
    empty when nothing was due). A report not yet due is not counted, even if sent early."""
    groups: dict[str, dict] = {}
    for r in rows:
        if r["due"] >= as_of:  # still on time today: not yet due
            continue
        key = r["assignee"] if by == "assignee" else f"{r['plan']} {r['obligation']}"
        g = groups.setdefault(key, dict(group=key, due=0, sent_on_time=0, sent_late=0, missing=0))
        g["due"] += 1
        if r["status"] == DONE_ON_TIME:
            g["sent_on_time"] += 1
        elif r["status"] == DONE_LATE:
            g["sent_late"] += 1
        else:
            g["missing"] += 1
    return [_rated(g) for g in groups.values()]


def _rated(g: dict) -> dict:
    from fractions import Fraction

    n = g["due"]
    sent = g["sent_on_time"] + g["sent_late"]
    return {**g, "rate_sent": Fraction(100 * sent, n) if n else None,
            "rate_on_time": Fraction(100 * g["sent_on_time"], n) if n else None}


def rate_total(groups: list[dict], label: str) -> dict:
    """All groups together (the "2,723 due, 91.8 % done" of a Government Office report)."""
    total = dict(group=label, due=0, sent_on_time=0, sent_late=0, missing=0)
    for g in groups:
        for k in ("due", "sent_on_time", "sent_late", "missing"):
            total[k] += g[k]
    return _rated(total)
