"""Due dates of tasks, from their own words or the heading they stand under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kh.extract import phrases as ph
from kh.extract.doc import clauses, sentences
from kh.extract.items import DraftTask
from kh.extract.obligations import deadlines_in


@dataclass
class TaskDue:
    rule: dict | None     # a deadline rule, or None with a phase
    phase: str | None     # "gd2": due at the phase's end
    text: str             # the words it was read from
    todo: list[str]


def task_due_in(text: str, plan_start: date, plan_end: date, phase_keys: set[str] = frozenset()) -> TaskDue | None:
    """The due of a task from its own words: a day ("vào ngày 26/6/2023", "- 26/6/2024"), a month
    ("trong tháng 6/2023"; "trong tháng 6 hằng năm"), a window ("tháng 01 đến tháng 3/2023"), a quarter
    ("trong quý IV/2027"), "hoàn thành … trước ngày …", a year ("trong năm 2018"), a phase
    ("hoàn thành trong Giai đoạn 1", "khi kết thúc Giai đoạn 2"), else "hằng năm". What a clause owes
    as a report (``deadlines_in``) is its obligation and is not repeated here, as the seeds do."""
    one_year = plan_start.year == plan_end.year
    dated: list[TaskDue] = []
    years: list[TaskDue] = []
    phases: list[TaskDue] = []
    yearly: list[TaskDue] = []

    def on_day(d: int, mo: int, y: int | None, relation: str, words: str, every_year: bool, todo=()) -> None:
        todo = list(todo)
        if y is None and (every_year or not one_year):
            if ph.due_day(d, mo, 2023, 2023) is None:
                return
            if not every_year:
                todo.append("a day without a year in a plan of several years: every year")
            dated.append(TaskDue({"every": "year", "on": [f"{d}/{mo}"], "relation": relation}, None, words, todo))
            return
        day = ph.due_day(d, mo, y, plan_start.year)
        if day is None:
            return
        if y is None:
            todo.append(f"no year written: the plan's year {plan_start.year}")
        if not (plan_start <= day <= date(plan_end.year + 1, 12, 31)):
            todo.append("the day lies outside the plan's span")
        dated.append(TaskDue({"date": day, "relation": relation}, None, words, todo))

    for sent in sentences(text):
        for cl in clauses(sent):
            low = ph.clean(cl)
            owed = deadlines_in(cl, plan_start, plan_end, in_task=True)
            owed_years = {d.rule.get("year") for d in owed}
            windows: list[tuple[int, int]] = []
            for m in ph.MONTH_WINDOW.finditer(low):
                y = m.group(3) or m.group(4)
                mo = int(m.group(2))
                if not 1 <= mo <= 12:
                    continue
                windows.append((m.start(), m.end()))
                todo = ["a window: due by its last day; its first day cannot be stored"]
                on_day(ph.last_day(int(y) if y else plan_start.year, "month", mo).day, mo, int(y) if y else None,
                       "by", m.group(0), False, todo)
            for m in ph.MONTH_IN.finditer(low):
                if any(a <= m.start() < b for a, b in windows) or not 1 <= int(m.group(1)) <= 12:
                    continue
                y = m.group(2) or m.group(3)
                mo = int(m.group(1))
                every = ph.FOLLOWS_EVERY_YEAR.match(low[m.end():])
                on_day(ph.last_day(int(y) if y else plan_start.year, "month", mo).day, mo, int(y) if y else None,
                       "by", m.group(0) + (every.group(0) if every else ""), bool(every))
            for m in ph.QUARTER_IN.finditer(low):
                q = ph.quarter_number(m.group(1))
                y = m.group(2) or m.group(3)
                last = ph.last_day(int(y) if y else plan_start.year, "quarter", q)
                every = ph.FOLLOWS_EVERY_YEAR.match(low[m.end():])
                on_day(last.day, last.month, int(y) if y else None, "by", m.group(0) + (every.group(0) if every else ""),
                       bool(every),
                       ["a quarter: due by its last day; its first day cannot be stored"])
            if not ph.SENT.search(low):
                for m in ph.COMPLETED_BY.finditer(low):
                    d, mo, y = int(m.group(2)), int(m.group(3)), m.group(4)   # group 1 is "trước" / "chậm nhất"
                    rel = "before" if m.group("word") == "trước" else "by"
                    on_day(d, mo, int(y) if y else None, rel, low[m.start("word"):m.end()], False)
            reported = [(x.start(), x.end()) for rx in (ph.DAYS_OF_YEAR, ph.DAY_OF_PERIOD, ph.BEFORE_DAY, ph.BY_DAY)
                        for x in rx.finditer(low)]
            for m in ph.ON_DAY.finditer(low):
                word, said_day = m.group(1), m.group(2)
                if any(a <= m.start(3) < b for a, b in reported):
                    continue  # "trước ngày 16/6 và ngày 16/12 hằng năm": a report's days (deadlines_in)
                if word is not None and word not in ("vào", "đến", "đến hết"):
                    continue  # "từ" opens a window; "trước", "chậm nhất", "trong ngày" are reports' (above)
                if ph.CITED.search(low[:m.start(3)]) or low[m.end():].lstrip(" ,").startswith("của"):
                    continue  # "Kế hoạch số 73/KH-UBND ngày 28/3/2024 của UBND tỉnh" cites a document
                d, mo, y = int(m.group(3)), int(m.group(4)), int(m.group(5)) if m.group(5) else None
                every = bool(ph.FOLLOWS_EVERY_YEAR.match(low[m.end():].lstrip(' "”')))
                if y is None and not (word or said_day or every):
                    continue  # a bare "24/7" is not a day
                if y is not None and not (word or said_day):
                    day = ph.due_day(d, mo, y, y)
                    if day is None or not plan_start <= day <= plan_end:
                        continue  # a bare date outside the plan is not the task's day
                on_day(d, mo, y, "by", m.group(0).strip(), every)
            for m in ph.YEAR_IN.finditer(low):
                y = int(m.group(1) or m.group(2))
                if y not in owed_years and plan_start.year <= y <= plan_end.year + 1:
                    years.append(TaskDue({"year": y}, None, m.group(0), []))
            for m in ph.PHASE_END.finditer(low):
                key = f"gd{int(m.group(1))}"
                if key in phase_keys:
                    phases.append(TaskDue(None, key, m.group(0), []))
            if not owed and ph.EVERY_YEAR.search(low):
                yearly.append(TaskDue({"every": "year", "after_end": 0}, None, ph.EVERY_YEAR.search(low).group(0),
                                      ["'hằng năm' names no day: due on the last day of each year "
                                       "(delete it if the work is ongoing)"]))
    for group in (dated, years, phases, yearly):
        if not group:
            continue
        for t in group:
            t.text = ph.said(text, t.text)
        once = [t for t in group if t.rule and "date" in t.rule]
        best = max(once, key=lambda t: t.rule["date"]) if len(once) == len(group) else group[0]
        rules = {repr(t.rule) + repr(t.phase) for t in group}
        if len(rules) > 1:
            best.todo.append("several days in the task: " + ", ".join(dict.fromkeys(t.text for t in group))
                             + (" (the latest taken)" if len(once) == len(group) else " (the first taken)"))
        return best
    return None


def task_dues(tasks: list[DraftTask], start: date, end: date, phase_keys: set[str]) -> None:
    """Each task's ``due`` (or ``phase``) from its own words, else from the item it stands under."""
    for t in tasks:
        found = task_due_in(t.text, start, end, phase_keys)
        where = ""
        if found is None and t.heading:
            found = task_due_in(t.heading, start, end, phase_keys)
            where = " of the heading"
            if found is not None:
                found.todo.append("read from the heading of the item: does it bind this task?")
        if found is None:
            continue
        if found.phase:
            t.phase = found.phase
            t.notes.append(f"due at the end of phase {found.phase}: '{found.text}'{where}")
        else:
            t.due = beyond_span(found.rule, start, end, found.todo)
            t.notes.append(f"due: '{found.text}'{where}")
        t.todo += found.todo


def beyond_span(rule: dict, start: date, end: date, todo: list[str]) -> dict:
    """A day or year outside the plan's span is imported only when the file says so
    (outside_span = true, docs/plan-format.md); the draft says so and asks the reader to check."""
    outside = ("date" in rule and not start <= rule["date"] <= end) or \
              ("year" in rule and not start.year <= rule["year"] <= end.year)
    if not outside:
        return rule
    if not any("outside the plan's span" in x for x in todo):
        todo.append("the day lies outside the plan's span")
    return {**rule, "outside_span": True}
