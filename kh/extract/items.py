"""The items of a draft, before they are written as TOML (draft.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date


@dataclass
class Target:
    """One target read from a clause (targets.py), in the plan file's terms; ``todo`` says what
    was guessed."""
    kind: str
    periodicity: str
    comparator: str | None = None
    target: int | float | None = None
    unit: str | None = None
    of: str | None = None
    milestones: dict[str, int | float] | None = None
    by: int | None = None
    baseline: str | int | None = None
    per_unit: str | None = None
    counts: str = "đơn vị"
    measure: str = "stock"
    todo: list[str] = field(default_factory=list)

    def plan_keys(self) -> dict:
        """The keys of an [[indicators]] table, in the order the seeds write them; unset ones left out."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "todo" and getattr(self, f.name) is not None}


@dataclass(kw_only=True)
class Item:
    """One item of the draft: the line it came from, what was guessed (``todo``, a ``# TODO
    check`` above it) and what was read (``notes``, plain comments). Its own fields, in the order
    the seeds write the plan file's keys, are those of the kinds below."""
    line: int
    todo: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def plan_keys(self) -> dict:
        """The keys of its plan-file table, in order, unset ones (None, empty) left out."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name not in _NOT_KEYS and v is not None and v != []:
                out[f.name.rstrip("_")] = v  # except_ → except
        return out


@dataclass(kw_only=True)
class DraftPhase(Item):
    key: str
    name: str
    start: date | None = None  # None: from the plan's start
    end: date
    source: str


@dataclass(kw_only=True)
class DraftStep(Item):
    number: int
    text: str
    source: str


@dataclass(kw_only=True)
class DraftAssignee(Item):
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class DraftTask(Item):
    ref: str
    text: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    phase: str | None = None  # due at the end of this phase, or
    due: dict | None = None   # a deadline rule, as the plan file writes it
    source: str
    heading: str = ""            # the body of the item it stands under
    lines: tuple[int, ...] = ()  # the lines of its paragraphs


@dataclass(kw_only=True)
class DraftIndicator(Item):
    ref: str
    name: str
    target: Target
    source: str

    def plan_keys(self) -> dict:
        return {k: v for k, v in {"ref": self.ref, "name": self.name, **self.target.plan_keys(),
                                  "source": self.source}.items() if v is not None and v != []}


@dataclass(kw_only=True)
class DraftObligation(Item):
    key: str
    name: str
    owed_by: list[str]
    except_: list[str] = field(default_factory=list)
    to: str
    deadline_text: str
    due: dict  # a deadline rule, as the plan file writes it
    source: str


_NOT_KEYS = {f.name for f in fields(Item)} | {"heading", "lines"}


@dataclass(kw_only=True)
class DraftPlan:
    """The draft's [plan] table (header.py, core.py), its keys in the seeds' order: a key the
    document does not give stays None and is left out of the draft."""
    id: str | None = None
    number: str = ""
    title: str = "Kế hoạch"
    issuer: str | None = None
    level: str | None = None
    place: str | None = None
    issued_on: date | None = None
    start: date | None = None
    end: date | None = None
    # What the date line gave when its day is blank, for the span: not keys of the file.
    issued_year: int | None = None
    issued_month: tuple[int, int] | None = None

    def plan_keys(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("issued_year", "issued_month") and getattr(self, f.name) is not None}


@dataclass
class Draft:
    plan: DraftPlan
    plan_todo: dict[str, str]
    phases: list[DraftPhase] = field(default_factory=list)
    steps: list[DraftStep] = field(default_factory=list)
    assignees: list[DraftAssignee] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    indicators: list[DraftIndicator] = field(default_factory=list)
    obligations: list[DraftObligation] = field(default_factory=list)
    unclassified: list[tuple[int, str]] = field(default_factory=list)
