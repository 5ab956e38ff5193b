"""Draft a plan file from the document itself (`kh extract`): rules over normalised text.

    read.py         a .txt (UTF-8), .docx or .pdf (text layer) file → lines, or a refusal
    doc.py          lines → paragraphs (wrapped lines joined) with numbering and refs
    phrases.py      the phrase table: header, comparators, figures, baselines, periods, deadlines
    names.py        names of bodies: headings of PHÂN CÔNG items, partners, receivers
    header.py       number, issuer, place, date, title, span; phases and steps
    assignees.py    assignees and their tasks
    targets.py      the targets of a clause
    obligations.py  the deadlines of a clause, who owes them, to whom
    dues.py         the due dates of tasks
    items.py        the typed items of a draft
    core.py         the walk over the document that puts them together
    draft.py        the draft as TOML, with line numbers and "TODO check" comments

No CLI and no store here; kh/cli/extract_cmds.py prints what ``draft_file`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kh.extract.core import Draft, extract


@dataclass
class Result:
    text: str        # the draft plan file
    draft: Draft
    summary: str     # one line for stderr


def draft_lines(lines: list[str], source_name: str, plan_id: str | None = None, today: date | None = None) -> Result:
    """Draft a plan file from a document's lines; the draft passes ``kh plan import`` as it is."""
    from kh import planfile
    from kh.errors import KhError
    from kh.extract.draft import render, summary

    try:
        draft = extract(lines, plan_id, today)
    except ValueError:  # no year anywhere, and no today to fall back on
        raise KhError("this does not read as a Kế hoạch: it names no year", where=source_name) from None
    if not (draft.indicators or draft.assignees or draft.tasks or draft.obligations):
        # A README, a letter, the wrong file: a draft with nothing in it would only mislead.
        raise KhError("this does not read as a Kế hoạch: no targets, assignees, tasks or deadlines "
                      "were found in it", where=source_name)
    text = render(draft, source_name)
    try:
        planfile.loads(text, "<draft>")
    except KhError as e:  # a bug of the extractor, not of the document: say so plainly
        raise KhError(f"internal error: the draft would not import ({e}); please report it",
                      where=source_name) from None
    return Result(text, draft, summary(draft))


def draft_file(path: str | Path, plan_id: str | None = None, today: date | None = None) -> Result:
    from kh.extract.read import read_lines

    return draft_lines(read_lines(path), Path(path).name, plan_id, today)
