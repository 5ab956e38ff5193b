"""Plan files: TOML ⇄ ``kh.model.Plan``, with every check made before anything is stored.

The format is documented in docs/plan-format.md. Errors name the file, the line where it can be
found, the item (``indicators[3].comparator``) and what is wrong. Unknown keys are errors.
Reading uses ``tomllib`` (no code in a plan file can run); writing uses ``tomli_w``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from kh import model
from kh.errors import KhError
from kh.model import (Assignee, DeadlineRule, Indicator, Obligation, Phase, Plan, Step, Task,
                      plain_number)
from kh.periods import ND09, check_cutoff, parse_period
from kh.text import nfc, parse_day_month

FORMAT = 1
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_NUM = (int, float)


class _Problem(Exception):
    """A check failed at ``path`` (``indicators[3].comparator``)."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path, self.message = path, message


# ---------------------------------------------------------------- reading


def load(path: str | Path) -> Plan:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise KhError(f"cannot read plan file: {e.strerror}", where=str(p)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise KhError(f"not UTF-8 (byte {e.start}); save the plan file as UTF-8", where=str(p)) from None
    return loads(text, str(p))


def loads(text: str, name: str = "<plan>") -> Plan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None) or _line_from_message(str(e))
        msg = getattr(e, "msg", None) or re.sub(r"\s*\(at line .*\)$", "", str(e))
        raise KhError(f"invalid TOML: {msg}", where=f"{name}:{line}" if line else name) from None
    try:
        return _plan(_nfc_all(data))
    except _Problem as p:
        line = _locate(text, p.path)
        where = f"{name}:{line}" if line else name
        raise KhError(f"{p.path}: {p.message}", where=where) from None


def _line_from_message(msg: str) -> int | None:
    m = re.search(r"at line (\d+)", msg)
    return int(m.group(1)) if m else None


def _nfc_all(x: Any) -> Any:
    if isinstance(x, str):
        return nfc(x)
    if isinstance(x, list):
        return [_nfc_all(v) for v in x]
    if isinstance(x, dict):
        return {nfc(k): _nfc_all(v) for k, v in x.items()}
    return x


def _type_name(t: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             date: "a date (2021-06-16, no quotes)", list: "an array", dict: "a table"}
    if t == _NUM:
        return "a number"
    if isinstance(t, tuple):
        return " or ".join(dict.fromkeys(names.get(x, x.__name__) for x in t))
    return names.get(t, t.__name__)


def _fields(table: Any, path: str, spec: dict[str, tuple[Any, bool]]) -> dict:
    """Check a table against ``spec`` (key → (type, required)); return it."""
    if not isinstance(table, dict):
        raise _Problem(path, "must be a table")
    for key in table:
        if key not in spec:
            known = ", ".join(spec)
            raise _Problem(f"{path}.{key}", f"unknown key; the keys here are: {known}")
    for key, (typ, required) in spec.items():
        if key not in table:
            if required:
                raise _Problem(f"{path}.{key}", "is missing")
            continue
        value = table[key]
        ok = isinstance(value, typ) and not (isinstance(value, bool) and bool not in _as_tuple(typ))
        if typ is date or (isinstance(typ, tuple) and date in typ):
            ok = ok and not _is_datetime(value)
        if not ok:
            raise _Problem(f"{path}.{key}", f"must be {_type_name(typ)}, not {value!r}")
        if isinstance(value, str) and not value.strip() and required:
            raise _Problem(f"{path}.{key}", "must not be empty")
    return table


def _as_tuple(t: Any) -> tuple:
    return t if isinstance(t, tuple) else (t,)


def _is_datetime(v: Any) -> bool:
    from datetime import datetime, time

    return isinstance(v, (datetime, time))


def _strings(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Problem(path, "must be an array of non-empty strings")
    return value


def _choice(value: Any, choices: tuple, path: str) -> str:
    if value not in choices:
        raise _Problem(path, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _unique(items: list, key: str, what: str) -> None:
    seen: dict = {}
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in seen:
            raise _Problem(f"{what}[{i}].{key}", f"{k!r} is already used by {what}[{seen[k]}]")
        seen[k] = i


def _list(data: dict, key: str) -> list:
    v = data.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise _Problem(key, f"must be an array of tables ([[{key}]])")
    return v


_TOP = {"format": (int, True), "plan": (dict, True), "phases": (list, False),
        "steps": (list, False), "assignees": (list, False), "tasks": (list, False),
        "indicators": (list, False), "obligations": (list, False)}
_PLAN = {"id": (str, True), "number": (str, False), "title": (str, True), "issuer": (str, True),
         "level": (str, True), "place": (str, False), "issued_on": (date, False),
         "start": (date, True), "end": (date, True), "cutoff": ((str, int), False),
         "due_soon_days": (int, False), "working_days": (bool, False),
         "implements": (list, False), "area": (str, False), "source": (str, False),
         "note": (str, False)}
_PHASE = {"key": (str, True), "name": (str, True), "start": (date, False), "end": (date, True),
          "text": (str, False), "source": (str, False), "note": (str, False)}
_STEP = {"number": (int, True), "text": (str, True), "phase": (str, False),
         "source": (str, False), "note": (str, False)}
_ASSIGNEE = {"name": (str, True), "kind": (str, True), "aliases": (list, False),
             "note": (str, False)}
_TASK = {"ref": (str, True), "text": (str, True), "lead": (list, True), "support": (list, False),
         "due": (dict, False), "phase": (str, False), "source": (str, False), "note": (str, False)}
_INDICATOR = {"ref": (str, True), "name": (str, True), "counts": (str, True), "kind": (str, True),
              "comparator": (str, False), "target": (_NUM, False), "unit": (str, False),
              "of": (str, False), "measure": (str, True), "periodicity": (str, True),
              "by": (int, False), "baseline": ((str, int), False),
              "baseline_value": (_NUM, False), "milestones": (dict, False),
              "per_unit": (str, False), "source": (str, True), "note": (str, False),
              "reported_by": (str, False), "carry_forward": (bool, False),
              "denominator_measure": (str, False), "denominator_value": (_NUM, False)}
_OBLIGATION = {"key": (str, True), "name": (str, True), "owed_by": ((str, list), True),
               "except": (list, False), "to": (str, True), "deadline_text": (str, True),
               "due": (dict, True), "source": (str, False), "note": (str, False)}
_ONCE = {"date": (date, True), "relation": (str, False), "covers": (str, False)}
_RECURRING = {"every": (str, True), "on": (list, False), "day": (int, False),
              "after_end": (int, False), "relation": (str, False), "from": (int, False),
              "until": (int, False), "covers": (str, False)}
_YEAR = {"year": (int, True), "covers": (str, False)}
_COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "==": "="}


def _plan(data: dict) -> Plan:
    _fields(data, "file", _TOP)
    if data["format"] != FORMAT:
        raise _Problem("format", f"this kh reads format {FORMAT}, not {data['format']}")
    p = _fields(data["plan"], "plan", _PLAN)
    if not _ID.fullmatch(p["id"]):
        raise _Problem("plan.id", f"{p['id']!r} must be lower-case letters, digits and '-'")
    plan = Plan(
        id=p["id"], number=p.get("number", ""), title=p["title"], issuer=p["issuer"],
        level=_choice(p["level"], model.LEVELS, "plan.level"), place=p.get("place"),
        issued_on=p.get("issued_on"), start=p["start"], end=p["end"],
        cutoff_day=_cutoff(p.get("cutoff", "calendar")),
        due_soon_days=p.get("due_soon_days", 7), working_days=p.get("working_days", False),
        implements=_strings(p.get("implements", []), "plan.implements"),
        area=p.get("area"), source=p.get("source"), note=p.get("note"),
    )
    if plan.start > plan.end:
        raise _Problem("plan.end", f"{plan.end} is before the start {plan.start}")
    if not 0 <= plan.due_soon_days <= 366:
        raise _Problem("plan.due_soon_days", "must be 0 to 366 days")
    plan.phases = [_phase(t, f"phases[{i}]", plan) for i, t in enumerate(_list(data, "phases"))]
    _unique(plan.phases, "key", "phases")
    phase_keys = {ph.key for ph in plan.phases}
    plan.steps = [_step(t, f"steps[{i}]", phase_keys) for i, t in enumerate(_list(data, "steps"))]
    _unique(plan.steps, "number", "steps")
    plan.assignees = [_assignee(t, f"assignees[{i}]") for i, t in enumerate(_list(data, "assignees"))]
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


def _cutoff(value: str | int) -> int:
    if value == "calendar":
        return 1
    if value == "nd09":
        return ND09
    if isinstance(value, int) and 2 <= value <= 28:
        return check_cutoff(value)
    raise _Problem("plan.cutoff", f"{value!r} must be \"calendar\", \"nd09\" or a day from 2 to 28")


def _phase(t: dict, path: str, plan: Plan) -> Phase:
    _fields(t, path, _PHASE)
    ph = Phase(key=t["key"], name=t["name"], start=t.get("start"), end=t["end"],
               text=t.get("text"), source=t.get("source"), note=t.get("note"))
    first = ph.start or plan.start
    if first > ph.end:
        raise _Problem(f"{path}.end", f"{ph.end} is before the phase's start {first}")
    if first < plan.start or ph.end > plan.end:
        raise _Problem(f"{path}.end" if ph.end > plan.end else f"{path}.start",
                       f"the phase {first} – {ph.end} lies outside the plan's span {plan.start} – {plan.end}")
    return ph


def _step(t: dict, path: str, phase_keys: set[str]) -> Step:
    _fields(t, path, _STEP)
    if t.get("phase") is not None and t["phase"] not in phase_keys:
        raise _Problem(f"{path}.phase", f"no phase has the key {t['phase']!r}")
    return Step(number=t["number"], text=t["text"], phase=t.get("phase"),
                source=t.get("source"), note=t.get("note"))


def _assignee(t: dict, path: str) -> Assignee:
    _fields(t, path, _ASSIGNEE)
    return Assignee(name=" ".join(t["name"].split()),
                    kind=_choice(t["kind"], model.ASSIGNEE_KINDS, f"{path}.kind"),
                    aliases=_strings(t.get("aliases", []), f"{path}.aliases"), note=t.get("note"))


def _unique_names(assignees: list[Assignee]) -> None:
    from kh.text import fold

    seen: dict[str, int] = {}
    for i, a in enumerate(assignees):
        for n in [a.name, *a.aliases]:
            k = fold(n)
            if k in seen and seen[k] != i:
                raise _Problem(f"assignees[{i}].name", f"{n!r} is already used by assignees[{seen[k]}]")
            seen[k] = i


def _known(names_used: list[str], names: set[str], path: str) -> list[str]:
    for n in names_used:
        if n not in names:
            raise _Problem(path, f"{n!r} is not declared in [[assignees]]")
    return names_used


def _task(t: dict, path: str, plan: Plan, names: set[str], phase_keys: set[str]) -> Task:
    _fields(t, path, _TASK)
    lead = _known(_strings(t["lead"], f"{path}.lead"), names, f"{path}.lead")
    if not lead:
        raise _Problem(f"{path}.lead", "needs at least one assignee")
    support = _known(_strings(t.get("support", []), f"{path}.support"), names, f"{path}.support")
    if t.get("phase") is not None and t["phase"] not in phase_keys:
        raise _Problem(f"{path}.phase", f"no phase has the key {t['phase']!r}")
    due = _rule(t["due"], f"{path}.due", plan) if "due" in t else None
    return Task(ref=t["ref"].strip(), text=t["text"], lead=lead, support=support, due=due,
                phase=t.get("phase"), source=t.get("source"), note=t.get("note"))


def _indicator(t: dict, path: str, plan: Plan) -> Indicator:
    _fields(t, path, _INDICATOR)
    kind = _choice(t["kind"], model.KINDS, f"{path}.kind")
    ind = Indicator(
        ref=t["ref"].strip(), name=t["name"], counts=t["counts"], kind=kind,
        measure=_choice(t["measure"], model.MEASURES, f"{path}.measure"),
        periodicity=_choice(t["periodicity"], model.PERIODICITIES, f"{path}.periodicity"),
        source=t["source"], per_unit=t.get("per_unit"), note=t.get("note"),
    )
    if ind.per_unit is not None:
        _choice(ind.per_unit, model.UNIT_KINDS, f"{path}.per_unit")
    comparator = _COMPARATOR_ALIASES.get(t.get("comparator", ""), t.get("comparator"))
    if kind == "zero":
        for key in ("target", "unit", "milestones", "of"):
            if key in t and not (key == "target" and t[key] == 0):
                raise _Problem(f"{path}.{key}", "a zero target is always = 0; leave it out")
        if comparator not in (None, "="):
            raise _Problem(f"{path}.comparator", "a zero target is always = 0")
        ind.comparator, ind.target, ind.unit = "=", 0.0, "count"
    else:
        if comparator is None:
            raise _Problem(f"{path}.comparator", "is missing")
        ind.comparator = _choice(comparator, model.COMPARATORS, f"{path}.comparator")
    if kind == "milestones":
        ms = t.get("milestones")
        if not ms:
            raise _Problem(f"{path}.milestones", "a milestones target needs { year = value, … }")
        if "target" in t:
            raise _Problem(f"{path}.target", "a milestones target takes its values from milestones")
        ind.of = _choice(t.get("of"), ("share", "share_of_baseline", "count"), f"{path}.of")
        ind.unit = "count" if ind.of == "count" else "percent"
        if "unit" in t and t["unit"] != ind.unit:
            raise _Problem(f"{path}.unit", f"milestones of {ind.of} are in {ind.unit}")
        for year, value in ms.items():
            if not (year.isdigit() and len(year) == 4) or not isinstance(value, _NUM) or isinstance(value, bool):
                raise _Problem(f"{path}.milestones", f"{year} = {value!r} must be a year = a number")
            if not plan.start.year <= int(year) <= plan.end.year:
                raise _Problem(f"{path}.milestones", f"{year} lies outside the plan's span")
            ind.milestones[int(year)] = float(value)
        ind.milestones = dict(sorted(ind.milestones.items()))
    else:
        for key in ("milestones", "of"):
            if key in t:
                raise _Problem(f"{path}.{key}", "only a milestones target takes it")
        if kind != "zero":
            if "target" not in t:
                raise _Problem(f"{path}.target", "is missing")
            ind.target = float(t["target"])
            default = model.DEFAULT_UNIT[kind]
            ind.unit = t.get("unit", default)
            allowed = ("percent", "count") if kind in model.FREE_UNIT else (default,)
            _choice(ind.unit, allowed, f"{path}.unit")
    if ind.target is not None and ind.target < 0:
        raise _Problem(f"{path}.target", "must not be negative; a decrease is kind = \"decrease\"")
    if ind.unit == "percent" and kind in ("share", "share_of_baseline") and ind.target > 100:
        raise _Problem(f"{path}.target", "a share cannot exceed 100 %")
    if ind.periodicity == "by_year":
        if "by" not in t:
            raise _Problem(f"{path}.by", "periodicity by_year needs the year: by = 2030")
        ind.by = t["by"]
    elif "by" in t:
        raise _Problem(f"{path}.by", "only periodicity = \"by_year\" takes by")
    base = t.get("baseline")
    if base == "previous":
        ind.baseline_previous = True
    elif isinstance(base, int):
        ind.baseline_year = base
    elif base is not None:
        raise _Problem(f"{path}.baseline", f"{base!r} must be \"previous\" or a year")
    if kind in ("change", "decrease", "share_of_baseline") and base is None:
        raise _Problem(f"{path}.baseline", f"a {kind} target needs baseline = \"previous\" or a year")
    if "baseline_value" in t:
        ind.baseline_value = float(t["baseline_value"])
    _evidence(t, path, ind)
    return ind


def _evidence(t: dict, path: str, ind: Indicator) -> None:
    """Who reports the figures, whether a stock carries forward, how a share's whole is measured."""
    # A per-unit target binds units of that kind: they are the ones that report it.
    ind.reported_by = _choice(t.get("reported_by", ind.per_unit or "commune"), model.UNIT_KINDS,
                              f"{path}.reported_by")
    if t.get("carry_forward"):
        if ind.measure != "stock" and t.get("denominator_measure") != "stock":
            raise _Problem(f"{path}.carry_forward", "only a stock (or a share of a stock) carries forward")
        ind.carry_forward = True
    share = ind.kind == "share" or (ind.kind == "milestones" and ind.of == "share")
    dm = t.get("denominator_measure")
    if dm is not None:
        if not share:
            raise _Problem(f"{path}.denominator_measure", "only a share has a denominator")
        ind.denominator_measure = _choice(dm, model.DENOMINATOR_MEASURES, f"{path}.denominator_measure")
        if dm == "stock" and ind.measure != "flow":
            raise _Problem(f"{path}.denominator_measure",
                           "a stock denominator is for a share whose numerator is a flow (measure = \"flow\")")
    if dm == "fixed":
        v = t.get("denominator_value")
        if v is None or isinstance(v, bool) or v <= 0:
            raise _Problem(f"{path}.denominator_value", "a fixed denominator needs its value, a positive number")
        ind.denominator_value = float(v)
    elif "denominator_value" in t:
        raise _Problem(f"{path}.denominator_value", "only denominator_measure = \"fixed\" takes a value")


def _obligation(t: dict, path: str, plan: Plan, names: set[str]) -> Obligation:
    _fields(t, path, _OBLIGATION)
    ob = Obligation(key=t["key"], name=t["name"], to=t["to"], deadline_text=t["deadline_text"],
                    due=_rule(t["due"], f"{path}.due", plan), source=t.get("source"),
                    note=t.get("note"))
    if not _ID.fullmatch(ob.key):
        raise _Problem(f"{path}.key", f"{ob.key!r} must be lower-case letters, digits and '-'")
    if t["owed_by"] == "all":
        ob.owed_by_all = True
        ob.except_ = _known(_strings(t.get("except", []), f"{path}.except"), names, f"{path}.except")
    elif isinstance(t["owed_by"], list):
        if "except" in t:
            raise _Problem(f"{path}.except", "only owed_by = \"all\" takes except")
        ob.owed_by = _known(_strings(t["owed_by"], f"{path}.owed_by"), names, f"{path}.owed_by")
        if not ob.owed_by:
            raise _Problem(f"{path}.owed_by", "needs at least one assignee, or \"all\"")
    else:
        raise _Problem(f"{path}.owed_by", "must be \"all\" or an array of assignee names")
    return ob


def _rule(t: dict, path: str, plan: Plan) -> DeadlineRule:
    if not isinstance(t, dict):
        raise _Problem(path, "must be a table")
    if "date" in t:
        _fields(t, path, _ONCE)
        rule = DeadlineRule("once", date=t["date"],
                            relation=_choice(t.get("relation", "by"), model.RELATIONS, f"{path}.relation"))
    elif "every" in t:
        _fields(t, path, _RECURRING)
        rule = DeadlineRule("recurring", every=_choice(t["every"], model.EVERY, f"{path}.every"),
                            relation=_choice(t.get("relation", "by"), model.RELATIONS, f"{path}.relation"),
                            from_year=t.get("from"), until_year=t.get("until"))
        given = [k for k in ("on", "day", "after_end") if k in t]
        if len(given) != 1:
            raise _Problem(path, "a recurring rule takes exactly one of on, day, after_end")
        if "on" in t:
            on = _strings(t["on"], f"{path}.on")
            per_year = {"year": 1, "half": 2, "quarter": 4, "month": 12}[rule.every]
            if len(on) != per_year:
                raise _Problem(f"{path}.on", f"every = \"{rule.every}\" needs {per_year} day(s), one per period")
            for d in on:
                try:
                    parse_day_month(d)
                except KhError as e:
                    raise _Problem(f"{path}.on", e.message) from None
            rule.on = on
        elif "day" in t:
            if not 1 <= t["day"] <= 28:
                raise _Problem(f"{path}.day", "must be a day from 1 to 28 (it must exist in every month)")
            rule.day = t["day"]
        else:
            if not 0 <= t["after_end"] <= 366:
                raise _Problem(f"{path}.after_end", "must be 0 to 366 days")
            rule.after_end = t["after_end"]
        for key in ("from", "until"):
            if key in t and not plan.start.year <= t[key] <= plan.end.year:
                raise _Problem(f"{path}.{key}", f"{t[key]} lies outside the plan's span")
        if rule.from_year and rule.until_year and rule.from_year > rule.until_year:
            raise _Problem(f"{path}.until", "is before from")
    elif "year" in t:
        _fields(t, path, _YEAR)
        rule = DeadlineRule("year", year=t["year"])
    else:
        raise _Problem(path, "a deadline rule needs date (once), every (recurring) or year")
    if "covers" in t:
        try:
            rule.covers = str(parse_period(t["covers"]))
        except KhError as e:
            raise _Problem(f"{path}.covers", e.message) from None
    return rule


# ---------------------------------------------------------------- locating lines


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z_.\s\"]+?)\s*\]\]?\s*(?:#.*)?$")


def _locate(text: str, path: str) -> int | None:
    """Best-effort line of ``path`` (``indicators[3].comparator``) in the TOML source."""
    m = re.match(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?(?:\.([a-z_]+))?", path)
    if not m:
        return None
    table, index, key, sub = m.group(1), m.group(2), m.group(3), m.group(4)
    lines = text.splitlines()
    if table == "file" or (index is None and table != "plan"):
        key, table = (table if table != "file" else key), None
    start, count = None, -1
    if table is None:
        start = 0
    else:
        for i, line in enumerate(lines):
            h = _HEADER.match(line)
            if h and h.group(1).replace(" ", "") == table:
                count += 1
                if index is None or count == int(index):
                    start = i
                    break
        if start is None:
            return None
    if key is None:
        return start + 1
    for j in range(start + (0 if table is None else 1), len(lines)):
        line = lines[j]
        if j > start and _HEADER.match(line) and not _HEADER.match(line).group(1).replace(" ", "").startswith(f"{table}."):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return j + 1
        if sub is None and re.match(rf"^\s*\[\s*{re.escape(table or '')}\.{re.escape(key)}\s*\]", line):
            return j + 1
    return start + 1


# ---------------------------------------------------------------- writing


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def to_dict(plan: Plan) -> dict:
    cutoff: str | int = {1: "calendar", ND09: "nd09"}.get(plan.cutoff_day, plan.cutoff_day)
    out: dict[str, Any] = {"format": FORMAT}
    out["plan"] = _drop_none({
        "id": plan.id, "number": plan.number, "title": plan.title, "issuer": plan.issuer,
        "level": plan.level, "place": plan.place, "issued_on": plan.issued_on,
        "start": plan.start, "end": plan.end, "cutoff": cutoff,
        "due_soon_days": None if plan.due_soon_days == 7 else plan.due_soon_days,
        "working_days": True if plan.working_days else None, "implements": plan.implements,
        "area": plan.area, "source": plan.source, "note": plan.note,
    })
    out["plan"].setdefault("number", "")
    out["phases"] = [_drop_none({"key": p.key, "name": p.name, "start": p.start, "end": p.end,
                                 "text": p.text, "source": p.source, "note": p.note})
                     for p in plan.phases]
    out["steps"] = [_drop_none({"number": s.number, "text": s.text, "phase": s.phase,
                                "source": s.source, "note": s.note}) for s in plan.steps]
    out["assignees"] = [_drop_none({"name": a.name, "kind": a.kind, "aliases": a.aliases,
                                    "note": a.note}) for a in plan.assignees]
    out["tasks"] = [_drop_none({"ref": t.ref, "text": t.text, "lead": t.lead,
                                "support": t.support, "phase": t.phase,
                                "due": t.due.to_dict() if t.due else None,
                                "source": t.source, "note": t.note}) for t in plan.tasks]
    out["indicators"] = [_indicator_dict(i) for i in plan.indicators]
    out["obligations"] = [_drop_none({
        "key": o.key, "name": o.name, "owed_by": "all" if o.owed_by_all else o.owed_by,
        "except": o.except_, "to": o.to, "deadline_text": o.deadline_text,
        "due": o.due.to_dict(), "source": o.source, "note": o.note}) for o in plan.obligations]
    return {k: v for k, v in out.items() if v != []}


def _indicator_dict(i: Indicator) -> dict:
    d: dict[str, Any] = {"ref": i.ref, "name": i.name, "counts": i.counts, "kind": i.kind}
    if i.kind == "milestones":
        d.update(comparator=i.comparator, of=i.of)
    elif i.kind != "zero":
        d.update(comparator=i.comparator, target=plain_number(i.target))
        if i.kind in model.FREE_UNIT and i.unit != model.DEFAULT_UNIT[i.kind]:
            d["unit"] = i.unit
    d.update(measure=i.measure, periodicity=i.periodicity, by=i.by)
    d["baseline"] = "previous" if i.baseline_previous else i.baseline_year
    d["baseline_value"] = None if i.baseline_value is None else plain_number(i.baseline_value)
    d["milestones"] = {str(y): plain_number(v) for y, v in i.milestones.items()}
    d.update(per_unit=i.per_unit)
    if i.reported_by != (i.per_unit or "commune"):
        d["reported_by"] = i.reported_by
    if i.carry_forward:
        d["carry_forward"] = True
    d.update(denominator_measure=i.denominator_measure,
             denominator_value=None if i.denominator_value is None else plain_number(i.denominator_value))
    d.update(source=i.source, note=i.note)
    return _drop_none(d)


def dumps(plan: Plan) -> str:
    header = ("# Plan file for kh (docs/plan-format.md), exported from the store.\n"
              "# kh plan import this file to load it again.\n\n")
    return header + tomli_w.dumps(to_dict(plan))
