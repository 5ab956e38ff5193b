"""Reading a plan file: TOML → ``kh.model.Plan``, every check made before anything is stored.

Each element's keys, types, required keys and allowed values come from its declaration in
kh/model.py; what cannot be declared key by key is checked here: a target by its kind (the
table ``TARGET_KINDS``), deadline rules by their shape, names against ``[[assignees]]``, spans
against the plan's. The first problem found is the refusal, at file:line (kh/planfile/locating.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from kh import model
from kh.errors import KhError
from kh.i18n import Msg
from kh.model import (NUMBER, PARTS, Assignee, DeadlineRule, Indicator, Obligation, Phase, Plan, Step,
                      Task, declared)
from kh.periods import MAX_YEAR, MIN_YEAR, Period, bounds, parse_period
from kh.planfile.locating import line_from_message, line_of
from kh.planfile.writing import FORMAT
from kh.text import nfc, parse_day_month

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class _Problem(Exception):
    """A check failed at ``path`` (``indicators[3].comparator``)."""

    def __init__(self, path: str, key: str, /, **params):
        super().__init__(key)
        self.path, self.key, self.params = path, key, params


def load(path: str | Path) -> Plan:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise KhError("planfile.cannot_read", where=str(p), reason=e.strerror) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise KhError("planfile.encoding", where=str(p), byte=e.start) from None
    return loads(text, str(p))


def loads(text: str, name: str = "<plan>") -> Plan:
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise KhError("planfile.too_deep", where=name) from None
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None) or line_from_message(str(e))
        msg = getattr(e, "msg", None) or re.sub(r"\s*\(at line .*\)$", "", str(e))
        raise KhError("planfile.toml", where=f"{name}:{line}" if line else name, error=msg) from None
    try:
        return _plan(_nfc_all(data, "file"))
    except RecursionError:
        raise KhError("planfile.too_deep", where=name) from None
    except _Problem as p:
        line = line_of(text, p.path)
        where = f"{name}:{line}" if line else name
        raise KhError("planfile.problem", where=where, path=p.path, problem=Msg(p.key, **p.params)) from None


def _nfc_all(x: Any, path: str) -> Any:
    """Every string in NFC; a NUL character refused (PostgreSQL cannot store one, and no plan
    text has one)."""
    if isinstance(x, str):
        if "\x00" in x:
            raise _Problem(path, "plan.nul")
        return nfc(x)
    if isinstance(x, list):
        return [_nfc_all(v, f"{path}[{i}]") for i, v in enumerate(x)]
    if isinstance(x, dict):
        return {nfc(k): _nfc_all(v, k if path == "file" else f"{path}.{k}") for k, v in x.items()}
    return x


# The largest number a plan may hold: counts go up to 15 digits (kh.text.parse_count).
_LARGEST = 10 ** 15


def _number(value: Any, path: str) -> float:
    """A target, baseline or milestone: a finite number kh can count up to."""
    if isinstance(value, float) and value != value:
        raise _Problem(path, "plan.nan")
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        raise _Problem(path, "plan.inf")
    if abs(value) >= _LARGEST:
        raise _Problem(path, "count.too_large", raw=value)
    return float(value)


def _year(value: int, path: str, first: int, last: int, what: str) -> int:
    if not first <= value <= last:
        raise _Problem(path, "plan.year_outside", value=value, what=what, first=first, last=last)
    return value


# ---------------------------------------------------------------- checks by declaration


def _type_name(t: Any) -> str:
    from kh.i18n import t as tr

    names = {str: "type.string", int: "type.integer", float: "type.number", bool: "type.bool",
             date: "type.date", list: "type.array", dict: "type.table"}
    if t == NUMBER:
        return tr("type.number")
    if isinstance(t, tuple):
        return tr("word.or").join(dict.fromkeys(tr(names[x]) if x in names else x.__name__ for x in t))
    return tr(names[t]) if t in names else t.__name__


def _fields(table: Any, path: str, spec: dict[str, tuple[Any, bool]]) -> dict:
    """Check a table against ``spec`` (key → (type, required)); return it."""
    if not isinstance(table, dict):
        raise _Problem(path, "plan.must_be_table")
    for key in table:
        if key not in spec:
            known = ", ".join(spec)
            raise _Problem(f"{path}.{key}", "plan.unknown_key", known=known)
    for key, (typ, required) in spec.items():
        if key not in table:
            if required:
                raise _Problem(f"{path}.{key}", "plan.missing")
            continue
        value = table[key]
        ok = isinstance(value, typ) and not (isinstance(value, bool) and bool not in _as_tuple(typ))
        if typ is date or (isinstance(typ, tuple) and date in typ):
            ok = ok and not _is_datetime(value)
        if not ok:
            raise _Problem(f"{path}.{key}", "plan.wrong_type", type=_type_name(typ), value=repr(value))
        if isinstance(value, date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise _Problem(f"{path}.{key}", "date.year_range", raw=value, first=MIN_YEAR, last=MAX_YEAR)
        if isinstance(value, str) and not value.strip() and required:
            raise _Problem(f"{path}.{key}", "plan.empty")
    return table


def _as_tuple(t: Any) -> tuple:
    return t if isinstance(t, tuple) else (t,)


def _is_datetime(v: Any) -> bool:
    from datetime import datetime, time

    return isinstance(v, (datetime, time))


def _declared(cls: type, t: Any, path: str) -> dict:
    """Check table ``t`` against ``cls``'s declaration (unknown, missing and mistyped keys,
    arrays of names, allowed values, ``clean``); return the values it sets, by field name."""
    decl = [(name, s) for name, s in declared(cls) if s.key is not None]
    _fields(t, path, {s.key: (s.type, s.required) for _, s in decl})
    values = {}
    for name, s in decl:
        if not s.read or s.key not in t:
            continue
        v, where = t[s.key], f"{path}.{s.key}"
        if s.type is list:
            v = _strings(v, where)
        if s.choices is not None:
            _choice(v, s.choices, where)
        if s.clean is not None:
            try:
                v = s.clean(v)
            except KhError as e:
                raise _Problem(where, e.key, **e.params) from None
        values[name] = v
    return values


def _strings(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Problem(path, "plan.strings")
    return value


def _choice(value: Any, choices: tuple, path: str) -> str:
    if value not in choices:
        raise _Problem(path, "plan.not_one_of", value=repr(value), choices=', '.join(choices))
    return value


def _unique(items: list, key: str, what: str) -> None:
    seen: dict = {}
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in seen:
            raise _Problem(f"{what}[{i}].{key}", "plan.duplicate", value=repr(k), other=f"{what}[{seen[k]}]")
        seen[k] = i


def _list(data: dict, key: str) -> list:
    v = data.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise _Problem(key, "plan.array_of_tables", key=key)
    return v


_TOP = {"format": (int, True), "plan": (dict, True), **{part: (list, False) for part in PARTS}}
_ONCE = {"date": (date, True), "relation": (str, False), "covers": (str, False),
         "outside_span": (bool, False)}
_RECURRING = {"every": (str, True), "on": (list, False), "day": (int, False),
              "after_end": (int, False), "relation": (str, False), "from": ((int, str), False),
              "until": ((int, str), False), "covers": (str, False)}
_YEAR = {"year": (int, True), "covers": (str, False), "outside_span": (bool, False)}
_COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "==": "="}


# ---------------------------------------------------------------- the elements


def _plan(data: dict) -> Plan:
    _fields(data, "file", _TOP)
    if data["format"] != FORMAT:
        raise _Problem("format", "plan.format", expected=FORMAT, found=data['format'])
    plan = Plan(**_declared(Plan, data["plan"], "plan"))
    if plan.start > plan.end:
        raise _Problem("plan.end", "plan.end_before_start", end=plan.end, start=plan.start)
    if not 0 <= plan.due_soon_days <= 366:
        raise _Problem("plan.due_soon_days", "plan.days_range")
    plan.phases = [_phase(t, f"phases[{i}]", plan) for i, t in enumerate(_list(data, "phases"))]
    _unique(plan.phases, "key", "phases")
    phase_keys = {ph.key for ph in plan.phases}
    plan.steps = [_step(t, f"steps[{i}]", phase_keys) for i, t in enumerate(_list(data, "steps"))]
    _unique(plan.steps, "number", "steps")
    plan.assignees = [Assignee(**_declared(Assignee, t, f"assignees[{i}]"))
                      for i, t in enumerate(_list(data, "assignees"))]
    _unique_names(plan.assignees)
    names = {a.name for a in plan.assignees}
    plan.tasks = [_task(t, f"tasks[{i}]", plan, names, phase_keys)
                  for i, t in enumerate(_list(data, "tasks"))]
    _unique(plan.tasks, "ref", "tasks")
    plan.indicators = [_indicator(t, f"indicators[{i}]", plan)
                       for i, t in enumerate(_list(data, "indicators"))]
    _unique(plan.indicators, "ref", "indicators")
    plan.obligations = [_obligation(t, f"obligations[{i}]", plan, names)
                        for i, t in enumerate(_list(data, "obligations"))]
    _unique(plan.obligations, "key", "obligations")
    return plan


def _phase(t: dict, path: str, plan: Plan) -> Phase:
    ph = Phase(**_declared(Phase, t, path))
    first = ph.start or plan.start
    if first > ph.end:
        raise _Problem(f"{path}.end", "plan.phase_end_before_start", end=ph.end, start=first)
    if first < plan.start or ph.end > plan.end:
        raise _Problem(f"{path}.end" if ph.end > plan.end else f"{path}.start",
                       'plan.phase_outside', first=first, last=ph.end, start=plan.start, end=plan.end)
    return ph


def _step(t: dict, path: str, phase_keys: set[str]) -> Step:
    step = Step(**_declared(Step, t, path))
    if not 1 <= step.number <= 9999:
        raise _Problem(f"{path}.number", "plan.step_number")
    if step.phase is not None and step.phase not in phase_keys:
        raise _Problem(f"{path}.phase", "plan.no_phase", key=repr(step.phase))
    return step


def _unique_names(assignees: list[Assignee]) -> None:
    from kh.text import fold

    seen: dict[str, int] = {}
    for i, a in enumerate(assignees):
        for n in [a.name, *a.aliases]:
            k = fold(n)
            if k in seen and seen[k] != i:
                raise _Problem(f"assignees[{i}].name", "plan.duplicate", value=repr(n), other=f"assignees[{seen[k]}]")
            seen[k] = i


def _known(names_used: list[str], names: set[str], path: str) -> list[str]:
    for n in names_used:
        if n not in names:
            raise _Problem(path, "plan.assignee_undeclared", name=repr(n))
    return names_used


def _task(t: dict, path: str, plan: Plan, names: set[str], phase_keys: set[str]) -> Task:
    task = Task(**_declared(Task, t, path))
    _known(task.lead, names, f"{path}.lead")
    if not task.lead:
        raise _Problem(f"{path}.lead", "plan.needs_assignee")
    _known(task.support, names, f"{path}.support")
    if task.phase is not None and task.phase not in phase_keys:
        raise _Problem(f"{path}.phase", "plan.no_phase", key=repr(task.phase))
    if "due" in t:
        task.due = _rule(t["due"], f"{path}.due", plan)
    return task


# ---------------------------------------------------------------- targets, by kind


def _value_target(t: dict, path: str, ind: Indicator, plan: Plan, kind: "TargetKind") -> None:
    """A target of one value (change, share, count, decrease …) in its unit."""
    for key in ("milestones", "of"):
        if key in t:
            raise _Problem(f"{path}.{key}", "plan.only_milestones")
    if "target" not in t:
        raise _Problem(f"{path}.target", "plan.missing")
    ind.target = _number(t["target"], f"{path}.target")
    default = model.DEFAULT_UNIT[ind.kind]
    ind.unit = t.get("unit", default)
    allowed = ("percent", "count") if ind.kind in model.FREE_UNIT else (default,)
    _choice(ind.unit, allowed, f"{path}.unit")


def _zero_target(t: dict, path: str, ind: Indicator, plan: Plan, kind: "TargetKind") -> None:
    """None at all: always = 0, in a count (the file may say target = 0, nothing else)."""
    if "target" in t:
        _number(t["target"], f"{path}.target")
    for key in ("target", "unit", "milestones", "of"):
        if key in t and not (key == "target" and t[key] == 0):
            raise _Problem(f"{path}.{key}", "plan.zero_no_target")
    ind.target, ind.unit = 0.0, "count"


def _milestones_target(t: dict, path: str, ind: Indicator, plan: Plan, kind: "TargetKind") -> None:
    """Values year by year, of a share, a share of the baseline or a count."""
    ms = t.get("milestones")
    if not ms:
        raise _Problem(f"{path}.milestones", "plan.milestones_needed")
    if "target" in t:
        raise _Problem(f"{path}.target", "plan.milestones_no_target")
    ind.of = _choice(t.get("of"), ("share", "share_of_baseline", "count"), f"{path}.of")
    ind.unit = "count" if ind.of == "count" else "percent"
    if "unit" in t and t["unit"] != ind.unit:
        raise _Problem(f"{path}.unit", "plan.milestones_unit", of=ind.of, unit=ind.unit)
    for year, value in ms.items():
        if not (year.isdigit() and len(year) == 4) or not isinstance(value, NUMBER) or isinstance(value, bool):
            raise _Problem(f"{path}.milestones", "plan.milestone_malformed", year=year, value=repr(value))
        if not plan.start.year <= int(year) <= plan.end.year:
            raise _Problem(f"{path}.milestones", "plan.outside_span", value=year)
        ind.milestones[int(year)] = _number(value, f"{path}.milestones")
    ind.milestones = dict(sorted(ind.milestones.items()))


@dataclass(frozen=True)
class TargetKind:
    """What a kind of target takes."""

    read: Callable[..., None]  # reads target, unit (model.DEFAULT_UNIT), milestones, of
    comparator: str | None = None  # fixed (zero: always =), else the file's
    baseline: bool = False  # needs baseline = "previous" or a year
    at_most_100: bool = False  # a share in percent cannot exceed 100


TARGET_KINDS: dict[str, TargetKind] = {
    "change": TargetKind(_value_target, baseline=True),
    "share": TargetKind(_value_target, at_most_100=True),
    "share_of_baseline": TargetKind(_value_target, baseline=True, at_most_100=True),
    "count": TargetKind(_value_target),
    "zero": TargetKind(_zero_target, comparator="="),
    "decrease": TargetKind(_value_target, baseline=True),
    "milestones": TargetKind(_milestones_target),
}


def _indicator(t: dict, path: str, plan: Plan) -> Indicator:
    ind = Indicator(**_declared(Indicator, t, path))
    kind = TARGET_KINDS[ind.kind]
    comparator = _COMPARATOR_ALIASES.get(t.get("comparator", ""), t.get("comparator"))
    if kind.comparator is not None:
        kind.read(t, path, ind, plan, kind)
        if comparator not in (None, kind.comparator):
            raise _Problem(f"{path}.comparator", "plan.fixed_comparator", comparator=kind.comparator)
        ind.comparator = kind.comparator
    else:
        if comparator is None:
            raise _Problem(f"{path}.comparator", "plan.missing")
        ind.comparator = _choice(comparator, model.COMPARATORS, f"{path}.comparator")
        kind.read(t, path, ind, plan, kind)
    if ind.target is not None and ind.target < 0:
        raise _Problem(f"{path}.target", "plan.target_negative")
    if kind.at_most_100 and ind.unit == "percent" and ind.target > 100:
        raise _Problem(f"{path}.target", "plan.share_over_100")
    if ind.periodicity == "by_year":
        if "by" not in t:
            raise _Problem(f"{path}.by", "plan.by_needed")
        ind.by = _year(t["by"], f"{path}.by", plan.start.year, plan.end.year, "the plan's span")
    elif "by" in t:
        raise _Problem(f"{path}.by", "plan.by_only")
    base = t.get("baseline")
    if base == "previous":
        ind.baseline_previous = True
    elif isinstance(base, int) and not isinstance(base, bool):
        # A baseline is a year before the plan (or in it): never after it ends.
        ind.baseline_year = _year(base, f"{path}.baseline", MIN_YEAR, plan.end.year,
                                  "the years a baseline can be")
    elif base is not None:
        raise _Problem(f"{path}.baseline", "plan.baseline_malformed", value=repr(base))
    if kind.baseline and base is None:
        raise _Problem(f"{path}.baseline", "plan.baseline_needed", kind=Msg(f"kind.{ind.kind}"))
    if "baseline_value" in t:
        ind.baseline_value = _number(t["baseline_value"], f"{path}.baseline_value")
    _evidence(t, path, ind)
    return ind


def _evidence(t: dict, path: str, ind: Indicator) -> None:
    """Who reports the figures, whether a stock carries forward, how a share's whole is measured."""
    # A per-unit target binds units of that kind: they are the ones that report it.
    ind.reported_by = _choice(t.get("reported_by", ind.per_unit or "commune"), model.UNIT_KINDS,
                              f"{path}.reported_by")
    if t.get("carry_forward"):
        if ind.measure != "stock" and t.get("denominator_measure") != "stock":
            raise _Problem(f"{path}.carry_forward", "plan.carry_forward_stock")
        ind.carry_forward = True
    share = ind.kind == "share" or (ind.kind == "milestones" and ind.of == "share")
    dm = t.get("denominator_measure")
    if dm is not None:
        if not share:
            raise _Problem(f"{path}.denominator_measure", "plan.denominator_not_share")
        ind.denominator_measure = _choice(dm, model.DENOMINATOR_MEASURES, f"{path}.denominator_measure")
        if dm == "stock" and ind.measure != "flow":
            raise _Problem(f"{path}.denominator_measure",
                           "plan.stock_denominator_flow")
    if dm == "fixed":
        v = t.get("denominator_value")
        if v is None or v <= 0:
            raise _Problem(f"{path}.denominator_value", "plan.fixed_denominator_value")
        ind.denominator_value = float(v)
    elif "denominator_value" in t:
        raise _Problem(f"{path}.denominator_value", "plan.denominator_value_not_fixed")


# ---------------------------------------------------------------- obligations and deadlines


def _obligation(t: dict, path: str, plan: Plan, names: set[str]) -> Obligation:
    ob = Obligation(**_declared(Obligation, t, path), due=_rule(t.get("due"), f"{path}.due", plan))
    if not _ID.fullmatch(ob.key):
        raise _Problem(f"{path}.key", "plan.id_malformed", id=ob.key)
    if t["owed_by"] == "all":
        ob.owed_by_all = True
        ob.except_ = _known(_strings(t.get("except", []), f"{path}.except"), names, f"{path}.except")
    elif isinstance(t["owed_by"], list):
        if "except" in t:
            raise _Problem(f"{path}.except", "plan.except_only_all")
        ob.owed_by = _known(_strings(t["owed_by"], f"{path}.owed_by"), names, f"{path}.owed_by")
        if not ob.owed_by:
            raise _Problem(f"{path}.owed_by", "plan.owed_by_empty")
    else:
        raise _Problem(f"{path}.owed_by", "plan.owed_by_malformed")
    return ob


def _rule(t: dict, path: str, plan: Plan) -> DeadlineRule:
    if not isinstance(t, dict):
        raise _Problem(path, "plan.must_be_table")
    if "date" in t:
        _fields(t, path, _ONCE)
        rule = DeadlineRule("once", date=t["date"],
                            relation=_choice(t.get("relation", "by"), model.RELATIONS, f"{path}.relation"),
                            outside_span=t.get("outside_span", False))
    elif "every" in t:
        _fields(t, path, _RECURRING)
        rule = DeadlineRule("recurring", every=_choice(t["every"], model.EVERY, f"{path}.every"),
                            relation=_choice(t.get("relation", "by"), model.RELATIONS, f"{path}.relation"),
                            from_year=t.get("from"), until_year=t.get("until"))
        given = [k for k in ("on", "day", "after_end") if k in t]
        if len(given) != 1:
            raise _Problem(path, "plan.rule_one_of")
        if "on" in t:
            on = _strings(t["on"], f"{path}.on")
            per_year = {"year": 1, "half": 2, "quarter": 4, "month": 12}[rule.every]
            if len(on) != per_year:
                raise _Problem(f"{path}.on", "plan.rule_days", every=rule.every, n=per_year)
            for d in on:
                try:
                    parse_day_month(d)
                except KhError as e:
                    raise _Problem(f"{path}.on", e.key, **e.params) from None
            rule.on = on
        elif "day" in t:
            if not 1 <= t["day"] <= 28:
                raise _Problem(f"{path}.day", "plan.rule_day")
            rule.day = t["day"]
        else:
            if not 0 <= t["after_end"] <= 366:
                raise _Problem(f"{path}.after_end", "plan.days_range")
            rule.after_end = t["after_end"]
        # A year (2018), or the first / last period the rule owes ("2017-H2"): a plan signed on
        # 30/6/2017 does not owe the report of the half that ends that day.
        spans = {}
        for key in ("from", "until"):
            if key not in t:
                continue
            v = t[key]
            if isinstance(v, str):
                try:
                    p = parse_period(v)
                except KhError as e:
                    raise _Problem(f"{path}.{key}", e.key, **e.params) from None
                setattr(rule, "from_year" if key == "from" else "until_year", str(p))
            else:
                p = Period(v, "year", 1)
            if not plan.start.year <= p.year <= plan.end.year:
                raise _Problem(f"{path}.{key}", "plan.outside_span", value=t[key])
            spans[key] = bounds(p, plan.cutoff_day)
        if "from" in spans and "until" in spans and spans["from"][0] > spans["until"][1]:
            raise _Problem(f"{path}.until", "plan.until_before_from")
    elif "year" in t:
        _fields(t, path, _YEAR)
        rule = DeadlineRule("year", year=t["year"], outside_span=t.get("outside_span", False))
        if rule.outside_span:
            _year(rule.year, f"{path}.year", MIN_YEAR, MAX_YEAR, "the years kh works in")
        elif not plan.start.year <= rule.year <= plan.end.year:
            raise _Problem(f"{path}.year", "plan.year_outside_span", value=rule.year, start=plan.start.year,
                           end=plan.end.year)
    else:
        raise _Problem(path, "plan.rule_kind")
    if "covers" in t:
        try:
            rule.covers = str(parse_period(t["covers"]))
        except KhError as e:
            raise _Problem(f"{path}.covers", e.key, **e.params) from None
    if rule.shape == "once" and not rule.outside_span and not plan.start <= rule.date <= plan.end:
        # A report due after the plan ends about a period inside it (the month of action,
        # reported by 5 July) says so with covers; anything else says so with outside_span.
        if not (rule.date > plan.end and rule.covers and _inside(rule.covers, plan)):
            raise _Problem(f"{path}.date", "plan.date_outside_span", value=rule.date, start=plan.start,
                           end=plan.end)
    return rule


def _inside(covers: str, plan: Plan) -> bool:
    from kh.periods import bounds

    first, last = bounds(parse_period(covers), plan.cutoff_day)
    return first <= plan.end and last >= plan.start
