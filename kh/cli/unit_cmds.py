"""kh unit add | import | list | find: the versioned tree of provinces, districts, communes, villages."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, BomOpt, Format, FormatOpt, parse_day, render
from kh.i18n import t


app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

class UnitKind(str, Enum):
    province = "province"
    district = "district"
    commune = "commune"
    village = "village"


UNIT_COLUMNS = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successors"]


@app.command()
def add(
    code: Annotated[str, typer.Argument(metavar="CODE", help="help.unit.add.code")],
    name: Annotated[str, typer.Option("--name", help="help.unit.add.name")],
    kind: Annotated[UnitKind, typer.Option("--kind", help="help.unit.add.kind")],
    parent: Annotated[Optional[str], typer.Option("--parent", metavar="CODE", help="help.unit.add.parent")] = None,
    valid_from: Annotated[Optional[str], typer.Option("--valid-from", metavar="DATE", help="help.unit.add.valid_from")] = None,
    valid_to: Annotated[Optional[str], typer.Option("--valid-to", metavar="DATE", help="help.unit.add.valid_to")] = None,
    successors: Annotated[Optional[list[str]], typer.Option("--successor", metavar="CODE", help="help.unit.add.successors")] = None,
) -> None:
    """Its help text is "help.cmd.unit.add" in kh/catalogue.py."""
    from kh.store import unit_rows
    from kh.units import make

    u = make(code, name, kind.value, parent, parse_day(valid_from, "--valid-from"),
             parse_day(valid_to, "--valid-to"), successors or [])
    with state.store().begin() as conn:
        added, updated = unit_rows.upsert(conn, [u])
    typer.echo(t("msg.units_loaded", added=added, updated=updated))


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help="help.unit.import.file")]) -> None:
    """Its help text is "help.cmd.unit.import" in kh/catalogue.py."""
    from kh.store import unit_rows
    from kh.units import read_csv

    rows = read_csv(file)
    with state.store().begin() as conn:
        added, updated = unit_rows.upsert(conn, rows)
    typer.echo(t("msg.units_loaded", added=added, updated=updated))


@app.command("list")
def list_(
    kind: Annotated[Optional[UnitKind], typer.Option("--kind", help="help.unit.list.kind")] = None,
    parent: Annotated[Optional[str], typer.Option("--parent", metavar="CODE", help="help.unit.list.parent")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="help.unit.list.as_of")] = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.unit.list" in kh/catalogue.py."""
    from kh.store import unit_rows

    with state.store().read() as conn:
        rows = unit_rows.listing(conn, kind=kind.value if kind else None, parent=parent, as_of=parse_day(as_of, "--as-of"))
    render(rows, UNIT_COLUMNS, fmt.value, bom=bom, out=out, listing="unit.list")


FIND_COLUMNS = ["code", "kind", "name", "parent", "parent_name", "valid_from", "valid_to", "successors",
                "successor_names"]


@app.command("find")
def find(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="help.unit.find.text")],
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=0, help="help.unit.find.limit")] = 50,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.unit.find" in kh/catalogue.py."""
    from kh.store import unit_rows

    with state.store().read() as conn:
        rows, total = unit_rows.find(conn, text, limit=limit or None)
    if fmt is Format.table:
        for r in rows:  # one column for the time it existed
            r["valid"] = f"{r['valid_from'] or ''} – {r['valid_to'] or ''}".strip()
    render(rows, FIND_COLUMNS, fmt.value, bom=bom, out=out, listing="unit.find")
    if len(rows) < total:
        typer.echo(t("msg.units_found_more", shown=len(rows), total=total), err=True)
