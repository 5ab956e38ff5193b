"""kh unit add | import | list: the versioned tree of provinces, districts, communes, villages."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, BomOpt, Format, FormatOpt, parse_day, render
from kh.i18n import t


app = typer.Typer(rich_markup_mode=None, help="Administrative units (tỉnh, huyện, xã, thôn), versioned over time.",
                  no_args_is_help=True)

class UnitKind(str, Enum):
    province = "province"
    district = "district"
    commune = "commune"
    village = "village"


UNIT_COLUMNS = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successors"]


@app.command()
def add(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Official code where one exists (GSO), else your own.")],
    name: Annotated[str, typer.Option("--name", help="Full name: 'Xã Quang Trung'.")],
    kind: Annotated[UnitKind, typer.Option("--kind", help="What the unit is.")],
    parent: Annotated[Optional[str], typer.Option("--parent", metavar="CODE", help="Code of the unit it lies in.")] = None,
    valid_from: Annotated[Optional[str], typer.Option("--valid-from", metavar="DATE", help="First day of this version (empty: open).")] = None,
    valid_to: Annotated[Optional[str], typer.Option("--valid-to", metavar="DATE", help="Last day of this version (empty: open).")] = None,
    successors: Annotated[Optional[list[str]], typer.Option("--successor", metavar="CODE", help="Repeat for each unit that took over.")] = None,
) -> None:
    """Add one unit (or a new version of one), or update the version with the same start.

    Example: kh unit add 06187-01 --name "Thôn Nà Pàn" --kind village --parent 06187
    """
    from kh.store import unit_rows
    from kh.units import make

    u = make(code, name, kind.value, parent, parse_day(valid_from, "--valid-from"),
             parse_day(valid_to, "--valid-to"), successors or [])
    with state.store().begin() as conn:
        added, updated = unit_rows.upsert(conn, [u])
    typer.echo(t("units_loaded", added=added, updated=updated))


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV: code,name,kind,parent,valid_from,valid_to[,successors]")]) -> None:
    """Load units from CSV, all or nothing. Re-importing the same file changes nothing.

    The country's units before and after 1/7/2025 ship in data/units.csv.
    Example: kh unit import data/units.csv
    """
    from kh.store import unit_rows
    from kh.units import read_csv

    rows = read_csv(file)
    with state.store().begin() as conn:
        added, updated = unit_rows.upsert(conn, rows)
    typer.echo(t("units_loaded", added=added, updated=updated))


@app.command("list")
def list_(
    kind: Annotated[Optional[UnitKind], typer.Option("--kind", help="Only this kind.")] = None,
    parent: Annotated[Optional[str], typer.Option("--parent", metavar="CODE", help="Only units directly inside this one.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Only versions valid on that day.")] = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """List units (every version unless --as-of), ordered by code.

    Example: kh unit list --parent 20 --as-of 2025-07-01
    """
    from kh.store import unit_rows

    with state.store().read() as conn:
        rows = unit_rows.listing(conn, kind=kind.value if kind else None, parent=parent, as_of=parse_day(as_of, "--as-of"))
    render(rows, UNIT_COLUMNS, fmt.value, bom=bom, out=out)
