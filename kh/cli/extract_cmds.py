"""kh extract: draft a plan file from the Kế hoạch itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def extract(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The Kế hoạch: UTF-8 text (.txt), Word (.docx) or a PDF with a text layer (.pdf).")],
    plan_id: Annotated[Optional[str], typer.Option(
        "--id", metavar="ID", help="The plan's id (lower-case letters, digits, '-'). Default: derived from the "
                                   "place, number and year, marked TODO check.")] = None,
) -> None:
    """Draft a plan file from a Kế hoạch and print it (the TOML of docs/plan-format.md).

    It finds the number, issuer, place, date, title and span; the assignees and their tasks of the
    PHÂN CÔNG sections; the targets (chỉ tiêu, mục tiêu, sub-projects) with their comparator,
    value, baseline, period and milestones; the deadlines and who owes them; phases and steps.
    Each item says the line it came from; guesses are marked "TODO check"; sentences it could not
    read are listed at the end. The draft imports as printed: read it, fix it, then import it.

    Example: kh extract ke-hoach.docx --id na-2021 > na-2021.toml && kh plan import na-2021.toml
    """
    import re

    from kh.errors import KhError
    from kh.extract import draft_file

    if plan_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id):
        raise KhError(f"{plan_id!r} must be lower-case letters, digits and '-'", where="--id")
    from datetime import date

    # The only clock of kh extract: the year of a document that names none (marked TODO).
    result = draft_file(file, plan_id, today=date.today())
    typer.echo(result.text, nl=False)
    typer.echo(f"kh: extract: {result.summary}", err=True)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
