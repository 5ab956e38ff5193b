"""The items of a draft, before they are written as TOML (draft.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
