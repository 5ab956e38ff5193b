"""The draft as a plan file: the documented TOML, with the line each item came from and every
guess marked ``# TODO check`` right above the item, and what was not understood at the end."""

from __future__ import annotations

from datetime import date

import tomli_w

from kh.extract.core import Draft, Item


def _value(v) -> str:
    """One TOML value; tables inline (``due = { … }``), as the seed files write them."""
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    return tomli_w.dumps({"v": v}).split("=", 1)[1].strip()


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else tomli_w.dumps({k: 0}).split("=")[0].strip()


def _comment(text: str) -> str:
    return "# " + " ".join(str(text).split())


def _item(header: str, it: Item, source_label: str) -> list[str]:
    out = ["", f"# line {it.line}" + (f": {source_label}" if source_label else "")]
    out += [_comment(n) for n in dict.fromkeys(it.notes) if n]
    out += [_comment(f"TODO check: {t}") for t in dict.fromkeys(it.todo) if t]
    out.append(header)
    out += [f"{_key(k)} = {_value(v)}" for k, v in it.plan_keys().items()]
    return out


def render(draft: Draft, source_name: str) -> str:
    lines = [
        f"# Draft plan file drafted by `kh extract` from {source_name} (docs/extract.md).",
        "# Read it against the document: every item says the line it came from, and what had to be",
        "# guessed is marked 'TODO check'. Fix, then: kh plan import THIS-FILE",
        "",
        "format = 1",
        "",
        "[plan]",
    ]
    plan = draft.plan.plan_keys()
    for k in plan:
        line = f"{k} = {_value(plan[k])}"
        if k in draft.plan_todo:
            line += "  " + _comment(f"TODO check: {draft.plan_todo[k]}")
        lines.append(line)
    for k, why in draft.plan_todo.items():
        if k not in plan:
            lines.append(_comment(f"TODO check: {k}: {why}"))
    for title, items, header in (("Phases (giai đoạn)", draft.phases, "[[phases]]"),
                                 ("Steps (bước)", draft.steps, "[[steps]]"),
                                 ("Assignees: the PHÂN CÔNG headings, then bodies named as partners or receivers",
                                  draft.assignees, "[[assignees]]"),
                                 ("Tasks: the items of the PHÂN CÔNG sections", draft.tasks, "[[tasks]]"),
                                 ("Targets (chỉ tiêu)", draft.indicators, "[[indicators]]"),
                                 ("Deadlines (report obligations)", draft.obligations, "[[obligations]]")):
        if not items:
            continue
        lines += ["", "# " + "-" * 93, f"# {title}: {len(items)}", "# " + "-" * 93]
        for it in items:
            lines += _item(header, it, "")
    lines += ["", "# " + "-" * 93]
    if draft.unclassified:
        lines.append(f"# Not understood: {len(draft.unclassified)} sentence(s) that look like targets or deadlines.")
        lines.append("# Encode them by hand if they are.")
        for line, text in draft.unclassified:
            lines.append(_comment(f"line {line}: {text}"))
    else:
        lines.append("# Not understood: nothing.")
    return "\n".join(lines) + "\n"


def summary(draft: Draft) -> str:
    from kh.i18n import t

    n = len(draft.unclassified)
    dated = sum(1 for x in draft.tasks if x.due is not None or x.phase is not None)
    return t("msg.extract_summary", targets=len(draft.indicators), assignees=len(draft.assignees),
             deadlines=len(draft.obligations), tasks=len(draft.tasks),
             dated=t("msg.extract_dated", n=dated) if dated else "",
             unread=t("msg.extract_unread", n=n) if n else t("msg.extract_all_read"))


__all__ = ["render", "summary", "date"]
