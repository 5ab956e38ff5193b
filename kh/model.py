"""A plan as the document states it: plain dataclasses, no I/O, no SQL.

``kh.planfile`` reads and writes them as TOML, ``kh.store`` keeps them. The target and deadline
rules are kept as data (``Indicator``, ``DeadlineRule``) so that reports compute from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    from_year: int | None = None
    until_year: int | None = None
    year: int | None = None

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
                       covers=d.get("covers"))
        if "every" in d:
            return cls("recurring", every=d["every"], on=d.get("on"), day=d.get("day"),
                       after_end=d.get("after_end"), relation=d["relation"],
                       from_year=d.get("from"), until_year=d.get("until"), covers=d.get("covers"))
        return cls("year", year=d["year"], covers=d.get("covers"))


@dataclass
class Phase:
    key: str
    name: str
    end: date
    start: date | None = None
    text: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class Step:
    number: int
    text: str
    phase: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class Assignee:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class Task:
    ref: str
    text: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    due: DeadlineRule | None = None
    phase: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class Indicator:
    ref: str
    name: str
    counts: str
    kind: str
    measure: str
    periodicity: str
    source: str
    comparator: str = ">="
    target: float | None = None
    unit: str = "count"
    of: str | None = None
    by: int | None = None
    baseline_year: int | None = None
    baseline_previous: bool = False
    baseline_value: float | None = None
    milestones: dict[int, float] = field(default_factory=dict)
    per_unit: str | None = None
    note: str | None = None
    # Who sends the figures (coverage counts the units of this kind), whether a stock keeps a
    # silent unit's last figure from before the window, and how a share's whole is measured.
    reported_by: str = "commune"
    carry_forward: bool = False
    denominator_measure: str | None = None  # None: like the numerator; "stock"; "fixed"
    denominator_value: float | None = None  # the whole, for denominator_measure = "fixed"

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


@dataclass
class Obligation:
    key: str
    name: str
    to: str
    deadline_text: str
    due: DeadlineRule
    owed_by_all: bool = False
    owed_by: list[str] = field(default_factory=list)
    except_: list[str] = field(default_factory=list)
    source: str | None = None
    note: str | None = None


@dataclass
class Plan:
    id: str
    title: str
    issuer: str
    level: str
    start: date
    end: date
    number: str = ""
    place: str | None = None
    issued_on: date | None = None
    cutoff_day: int = 1
    due_soon_days: int = 7
    working_days: bool = False
    implements: list[str] = field(default_factory=list)
    area: str | None = None
    source: str | None = None
    note: str | None = None
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
