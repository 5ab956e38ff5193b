"""A plan as the document states it: plain dataclasses, no I/O, no SQL.

``kh.planfile`` reads and writes them as TOML, ``kh.store`` keeps them. The target and deadline
rules are kept as data (``Indicator``, ``DeadlineRule``) so that reports compute from them.

Each field of a plan element is declared once, here, with ``attr``: its key in the plan file and
what the file may hold there, its column in the store. The plan-file reader and writer
(kh/planfile/), the store's tables (kh/store/schema.py) and its save and load (``to_row``/
``from_row``, kh/store/plans.py) are derived from these declarations; docs/architecture.md has the checklist for adding a field.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any, Callable

LEVELS = ("province", "district", "commune")
ASSIGNEE_KINDS = ("agency", "organisation", "local_government", "group", "person")
UNIT_KINDS = ("province", "district", "commune", "village")
UNIT_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã", "village": "thôn"}
RANK_OF = {k: i for i, k in enumerate(UNIT_KINDS)}  # a unit lies inside units of lower rank
KINDS = ("change", "share", "share_of_baseline", "count", "zero", "decrease", "milestones")
COMPARATORS = (">=", ">", "<=", "<", "=")
MEASURES = ("flow", "stock")
DENOMINATOR_MEASURES = ("stock", "fixed")
PERIODICITIES = ("yearly", "by_year", "span")
RELATIONS = ("before", "by")
EVERY = ("year", "half", "quarter", "month")
# What ``target`` is measured in when the file does not say.
DEFAULT_UNIT = {
    "change": "percent",
    "share": "percent",
    "share_of_baseline": "percent",
    "count": "count",
    "zero": "count",
    "decrease": "count",
}
FREE_UNIT = ("change", "decrease")  # the only kinds whose unit the file may choose
PARTS = ("phases", "steps", "assignees", "tasks", "indicators", "obligations")  # a plan's arrays
NUMBER = (int, float)  # a plan file's number: 5 or 0.5 (never true/false)


# ---------------------------------------------------------------- declaring a field

_SAME = object()  # the key or column has the field's own name


@dataclass(frozen=True)
class Spec:
    """How one field of a plan element is read, written and stored (see ``attr``)."""

    key: str | None
    type: Any
    required: bool
    choices: tuple | None
    clean: Callable[[Any], Any] | None
    read: bool
    dump: Callable[[Any], Any] | None
    omit: Any
    column: str | None
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] | None


def attr(default: Any = MISSING, *, factory: Any = MISSING, key: Any = _SAME, type: Any = str,
         required: bool = False, choices: tuple | None = None, clean: Callable | None = None,
         read: bool = True, dump: Callable | None = None, omit: Any = MISSING,
         column: Any = _SAME, codec: tuple | None = None) -> Any:
    """A field of a plan element, declared once.

    In the plan file: ``key`` (default: the field's name; None: not in the file), the ``type``
    it may hold there (``str``, ``int``, ``NUMBER``, ``bool``, ``date``, ``list`` of strings,
    ``dict`` or a tuple of them), whether it is ``required``, the allowed ``choices``, and
    ``clean`` (applied on reading; a ``KhError`` from it is the refusal, its ``where`` the key). ``read=False``:
    type-checked, then set by the element's own checks (kh/planfile/reading.py). On writing,
    ``dump(element)`` gives the value (default: the field's), left out when None, empty or equal
    to ``omit`` (the default a reader assumes).
    In the store: ``column`` (default: the field's name; None: not a column of the element's
    table) and ``codec`` = (to the column, from the column) when the value needs converting.
    """
    spec = Spec(key=key, type=type, required=required, choices=choices, clean=clean, read=read,
                dump=dump, omit=omit, column=column, codec=codec)
    return field(default=default, default_factory=factory, metadata={"kh": spec})


@cache
def declared(cls: type) -> tuple[tuple[str, Spec], ...]:
    """The declared fields of a plan element, in order: (field name, its spec, names resolved)."""
    out = []
    for f in fields(cls):
        s = f.metadata.get("kh")
        if s is None:
            continue
        s = Spec(**{**s.__dict__, "key": f.name if s.key is _SAME else s.key,
                    "column": f.name if s.column is _SAME else s.column})
        out.append((f.name, s))
    return tuple(out)


def to_row(element: Any) -> dict:
    """The element's columns in the store (without the ids and positions the store adds)."""
    out = {}
    for name, s in declared(type(element)):
        if s.column is not None:
            v = getattr(element, name)
            out[s.column] = s.codec[0](v) if s.codec else v
    return out


def from_row(cls: type, row: Any, **more: Any) -> Any:
    """The element back from its stored row (a mapping); ``more`` gives what its row lacks."""
    values = {}
    for name, s in declared(cls):
        if s.column is not None:
            v = row[s.column]
            values[name] = s.codec[1](v) if s.codec else v
    return cls(**values, **more)


def _rule_codec() -> tuple:
    return (lambda r: r.to_json() if r else None,
            lambda d: DeadlineRule.from_json(d) if d else None)


AS_LIST = (list, list)
AS_BOOL = (bool, bool)


@dataclass
class DeadlineRule:
    """When something is due. One of three shapes: once, recurring, year (see docs/plan-format.md)."""

    shape: str  # once | recurring | year
    date: date | None = None
    relation: str = "by"
    covers: str | None = None
    every: str | None = None
    on: list[str] | None = None
    day: int | None = None
    after_end: int | None = None
    from_year: int | str | None = None  # a year, or the first period owed ("2017-H2")
    until_year: int | str | None = None
    year: int | None = None
    outside_span: bool = False  # a once or year rule the file says may fall outside the plan

    def to_dict(self) -> dict:
        """The canonical form, as written in a plan file (dates as ``date``)."""
        d: dict = {}
        if self.shape == "once":
            d["date"] = self.date
            d["relation"] = self.relation
        elif self.shape == "recurring":
            d["every"] = self.every
            for key in ("on", "day", "after_end"):
                if getattr(self, key) is not None:
                    d[key] = getattr(self, key)
            d["relation"] = self.relation
            if self.from_year is not None:
                d["from"] = self.from_year
            if self.until_year is not None:
                d["until"] = self.until_year
        else:
            d["year"] = self.year
        if self.covers is not None:
            d["covers"] = self.covers
        if self.outside_span:
            d["outside_span"] = True
        return d

    def to_json(self) -> dict:
        d = self.to_dict()
        if "date" in d:
            d["date"] = d["date"].isoformat()
        return d

    @classmethod
    def from_json(cls, d: dict) -> DeadlineRule:
        if "date" in d:
            return cls("once", date=date.fromisoformat(d["date"]), relation=d["relation"],
                       covers=d.get("covers"), outside_span=d.get("outside_span", False))
        if "every" in d:
            return cls("recurring", every=d["every"], on=d.get("on"), day=d.get("day"),
                       after_end=d.get("after_end"), relation=d["relation"],
                       from_year=d.get("from"), until_year=d.get("until"), covers=d.get("covers"))
        return cls("year", year=d["year"], covers=d.get("covers"), outside_span=d.get("outside_span", False))


def _squeeze(name: str) -> str:
    return " ".join(name.split())


def _strip(ref: str) -> str:
    return ref.strip()


def _plan_id(value: str) -> str:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        from kh.errors import KhError

        raise KhError("plan.id_malformed", id=value)
    return value


def _cutoff_day(value: str | int) -> int:
    """The file's cutoff: "calendar" (1), "nd09" (Nghị định 09: 15) or a day from 2 to 28."""
    from kh.periods import ND09, check_cutoff

    if value == "calendar":
        return 1
    if value == "nd09":
        return ND09
    if isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= 28:
        return check_cutoff(value)
    from kh.errors import KhError

    raise KhError("plan.cutoff", value=repr(value))


def _cutoff_text(plan: "Plan") -> str | int:
    from kh.periods import ND09

    return {1: "calendar", ND09: "nd09"}.get(plan.cutoff_day, plan.cutoff_day)


@dataclass(kw_only=True)
class Phase:
    key: str = attr(required=True)
    name: str = attr(required=True)
    start: date | None = attr(None, type=date)
    end: date = attr(type=date, required=True)
    text: str | None = attr(None)
    source: str | None = attr(None)
    note: str | None = attr(None)


@dataclass(kw_only=True)
class Step:
    number: int = attr(type=int, required=True)
    text: str = attr(required=True)
    phase: str | None = attr(None, column="phase_key")
    source: str | None = attr(None)
    note: str | None = attr(None)


@dataclass(kw_only=True)
class Assignee:
    name: str = attr(required=True, clean=_squeeze)
    kind: str = attr(required=True, choices=ASSIGNEE_KINDS)
    aliases: list[str] = attr(factory=list, type=list, codec=AS_LIST)
    note: str | None = attr(None)


@dataclass(kw_only=True)
class Task:
    ref: str = attr(required=True, clean=_strip)
    text: str = attr(required=True)
    # Who carries it: links to the assignees in the store (task_assignee), not columns.
    lead: list[str] = attr(type=list, required=True, column=None)
    support: list[str] = attr(factory=list, type=list, column=None)
    phase: str | None = attr(None, column="phase_key")
    due: DeadlineRule | None = attr(None, type=dict, read=False, dump=lambda t: t.due.to_dict() if t.due else None,
                                    codec=_rule_codec())
    source: str | None = attr(None)
    note: str | None = attr(None)


def _target(i: "Indicator"):
    return None if i.kind in ("milestones", "zero") else plain_number(i.target)


def _unit(i: "Indicator"):
    # Written only where the file may choose it, and then only when it is not the default.
    return i.unit if i.kind in FREE_UNIT and i.unit != DEFAULT_UNIT[i.kind] else None


@dataclass(kw_only=True)
class Indicator:
    # The order is the plan file's: the writer follows it, and a refusal lists the keys in it.
    ref: str = attr(required=True, clean=_strip)
    name: str = attr(required=True)
    counts: str = attr(required=True)
    kind: str = attr(required=True, choices=KINDS)
    # comparator … milestones are checked together, by kind (kh/planfile/reading.py).
    comparator: str = attr(">=", read=False, dump=lambda i: None if i.kind == "zero" else i.comparator)
    target: float | None = attr(None, type=NUMBER, read=False, dump=_target)
    unit: str = attr("count", read=False, dump=_unit)
    of: str | None = attr(None, read=False)
    measure: str = attr(required=True, choices=MEASURES)
    periodicity: str = attr(required=True, choices=PERIODICITIES)
    by: int | None = attr(None, type=int, read=False, column="by_year")
    baseline_year: int | None = attr(None, key="baseline", type=(str, int), read=False,
                                     dump=lambda i: "previous" if i.baseline_previous else i.baseline_year)
    baseline_previous: bool = attr(False, key=None, codec=AS_BOOL)
    baseline_value: float | None = attr(None, type=NUMBER, read=False,
                                        dump=lambda i: None if i.baseline_value is None else plain_number(i.baseline_value))
    milestones: dict[int, float] = attr(factory=dict, type=dict, read=False,
                                        dump=lambda i: {str(y): plain_number(v) for y, v in i.milestones.items()},
                                        codec=(lambda m: {str(y): v for y, v in m.items()},
                                               lambda m: {int(y): v for y, v in m.items()}))
    per_unit: str | None = attr(None, choices=UNIT_KINDS)
    # Who sends the figures (coverage counts the units of this kind; a per-unit target's kind by
    # default, else communes), whether a stock keeps a silent unit's last figure from before the
    # window, and how a share's whole is measured (kh/planfile/reading.py checks them together).
    reported_by: str = attr("commune", read=False, choices=UNIT_KINDS,
                            dump=lambda i: None if i.reported_by == (i.per_unit or "commune") else i.reported_by)
    carry_forward: bool = attr(False, type=bool, read=False, omit=False, codec=AS_BOOL)
    denominator_measure: str | None = attr(None, read=False)  # None: like the numerator; "stock"; "fixed"
    denominator_value: float | None = attr(None, type=NUMBER, read=False,
                                           dump=lambda i: None if i.denominator_value is None
                                           else plain_number(i.denominator_value))
    source: str = attr(required=True)
    note: str | None = attr(None)

    @property
    def baseline_label(self) -> str | None:
        """How the INTERFACE's ``baseline`` column shows it: previous, 2020, or 2020: 1504."""
        if self.baseline_previous:
            base = "previous"
        elif self.baseline_year is not None:
            base = str(self.baseline_year)
        else:
            return None if self.baseline_value is None else number_text(self.baseline_value)
        if self.baseline_value is not None:
            base += f": {number_text(self.baseline_value)}"
        return base

    @property
    def target_label(self) -> str:
        """The INTERFACE's ``target`` column: the value, or the milestones "2018: 75; 2020: 100"."""
        if self.kind == "milestones":
            return "; ".join(f"{y}: {number_text(v)}" for y, v in self.milestones.items())
        return number_text(self.target)

    @property
    def target_text(self) -> str:
        """The target as a person reads it: "≥ 5 % so với 2020", "> 80 %", "= 0 người"."""
        sym = {">=": "≥", "<=": "≤"}.get(self.comparator, self.comparator)
        pct = self.unit == "percent"

        def amount(v: float) -> str:
            return f"{number_text(v)} %" if pct else f"{number_text(v)} {self.counts}"

        if self.kind == "milestones":
            text = "; ".join(f"{y}: {sym} {amount(v)}" for y, v in self.milestones.items())
        elif self.kind == "decrease":
            text = f"giảm {sym} {amount(self.target)}"
        elif self.kind == "change":
            text = f"tăng {sym} {amount(self.target)}"
        else:
            text = f"{sym} {amount(self.target)}"
        if self.baseline_previous:
            text += " so với năm trước"
        elif self.baseline_year is not None:
            text += f" so với năm {self.baseline_year}"
        if self.periodicity == "yearly":
            text += ", hằng năm"
        elif self.periodicity == "by_year":
            text += f", đến năm {self.by}"
        if self.per_unit:
            text += f", mỗi {UNIT_WORDS[self.per_unit]}"
        return text

    @property
    def periodicity_label(self) -> str:
        return f"by_year {self.by}" if self.periodicity == "by_year" else self.periodicity


@dataclass(kw_only=True)
class Obligation:
    key: str = attr(required=True)
    name: str = attr(required=True)
    # owed_by = "all" (with except) or the names: links to the assignees in the store.
    owed_by_all: bool = attr(False, key=None, codec=AS_BOOL)
    owed_by: list[str] = attr(factory=list, type=(str, list), required=True, read=False, column=None,
                              dump=lambda o: "all" if o.owed_by_all else o.owed_by)
    except_: list[str] = attr(factory=list, key="except", type=list, read=False, column=None)
    to: str = attr(required=True, column="to_whom")
    deadline_text: str = attr(required=True)
    due: DeadlineRule = attr(type=dict, required=True, read=False, dump=lambda o: o.due.to_dict(),
                             codec=_rule_codec())
    source: str | None = attr(None)
    note: str | None = attr(None)


@dataclass(kw_only=True)
class Plan:
    id: str = attr(required=True, clean=_plan_id)
    number: str = attr("")
    title: str = attr(required=True)
    issuer: str = attr(required=True)
    level: str = attr(required=True, choices=LEVELS)
    place: str | None = attr(None)
    issued_on: date | None = attr(None, type=date)
    start: date = attr(type=date, required=True)
    end: date = attr(type=date, required=True)
    cutoff_day: int = attr(1, key="cutoff", type=(str, int), clean=_cutoff_day, dump=_cutoff_text)
    due_soon_days: int = attr(7, type=int, omit=7)
    working_days: bool = attr(False, type=bool, omit=False, codec=AS_BOOL)
    implements: list[str] = attr(factory=list, type=list, codec=AS_LIST)
    area: str | None = attr(None)
    source: str | None = attr(None)
    note: str | None = attr(None)
    # The parts: arrays of tables in the file, tables of their own in the store.
    phases: list[Phase] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    assignees: list[Assignee] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)

    def debtors(self, ob: Obligation) -> list[str]:
        """The assignees an obligation binds, each separately, in the plan's order."""
        if not ob.owed_by_all:
            return list(ob.owed_by)
        skip = set(ob.except_)
        return [a.name for a in self.assignees if a.name not in skip]


def number_text(x: float | int | None) -> str:
    """5.0 → "5", 0.5 → "0.5": numbers as the plan writes them."""
    if x is None:
        return ""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


def plain_number(x: float | int) -> int | float:
    return int(x) if float(x).is_integer() else float(x)
