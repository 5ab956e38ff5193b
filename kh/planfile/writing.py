"""Plan → TOML: what ``kh plan export`` prints and ``kh plan import`` reads back unchanged.

Each element is written from its declaration in kh/model.py (``attr``): the keys in declared
order, each value as its ``dump`` gives it, left out when None, empty or the default a reader
assumes. Parts with no element are left out.
"""

from __future__ import annotations

from dataclasses import MISSING
from typing import Any

import tomli_w

from kh.model import PARTS, Plan, declared

FORMAT = 1  # the plan-file format this kh reads and writes


def element_dict(element: Any) -> dict:
    """One element (the plan's header, a phase, a task …) as its table in the file."""
    out: dict[str, Any] = {}
    for name, spec in declared(type(element)):
        if spec.key is None:
            continue
        v = spec.dump(element) if spec.dump else getattr(element, name)
        if v is None or v == [] or v == {} or _is(v, spec.omit):
            continue
        out[spec.key] = v
    return out


def _is(v: Any, omit: Any) -> bool:
    return omit is not MISSING and type(v) is type(omit) and v == omit


def to_dict(plan: Plan) -> dict:
    out: dict[str, Any] = {"format": FORMAT, "plan": element_dict(plan)}
    for part in PARTS:
        items = getattr(plan, part)
        if items:
            out[part] = [element_dict(x) for x in items]
    return out


def dumps(plan: Plan) -> str:
    header = ("# Plan file for kh (docs/plan-format.md), exported from the store.\n"
              "# kh plan import this file to load it again.\n\n")
    return header + tomli_w.dumps(to_dict(plan))
