"""The items of a draft, before they are written as TOML (draft.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


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


@dataclass
class Item:
    line: int
    data: dict
    todo: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # plain comments above the item (what was read)
    heading: str = ""                                 # a task's: the body of the item it stands under
    lines: tuple[int, ...] = ()                       # a task's: the lines of its paragraphs


@dataclass
class Draft:
    plan: dict
    plan_todo: dict[str, str]
    phases: list[Item] = field(default_factory=list)
    steps: list[Item] = field(default_factory=list)
    assignees: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    obligations: list[Item] = field(default_factory=list)
    unclassified: list[tuple[int, str]] = field(default_factory=list)
