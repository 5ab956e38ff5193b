"""kh extract: draft a plan file from the Kế hoạch itself."""

from pathlib import Path
from typing import Annotated, Optional

import typer


def extract(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="help.extract.file")],
    plan_id: Annotated[Optional[str], typer.Option(
        "--id", metavar="ID", help="help.extract.plan_id")] = None,
) -> None:
    """Its help text is "help.cmd.extract" in kh/catalogue.py."""
    import re

    from kh.errors import KhError
    from kh.extract import draft_file

    if plan_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id):
        raise KhError("plan.id_malformed", where="--id", id=plan_id)
    from datetime import date

    # The only clock of kh extract: the year of a document that names none (marked TODO).
    result = draft_file(file, plan_id, today=date.today())
    typer.echo(result.text, nl=False)
    typer.echo(f"kh: extract: {result.summary}", err=True)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
