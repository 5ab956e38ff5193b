"""kh demo: a throwaway store with the five seed plans and the country's units."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.i18n import t


def demo(
    into: Annotated[Optional[Path], typer.Option("--into", metavar="PATH", help="Build it here (must not exist) instead of a temporary file.")] = None,
) -> None:
    """Build a demo store from the five seed plans and show what kh knows about them.

    Never touches an existing store. Example: kh demo   (or: kh demo --into /tmp/demo.sqlite)
    """
    import tempfile

    from kh.demo import build
    from kh.errors import KhError

    if into is None:
        into = Path(tempfile.mkdtemp(prefix="kh-demo-")) / "demo.sqlite"
    elif into.exists():
        raise KhError(f"{into} exists; the demo builds a new store and never touches an existing one",
                      where="--into")
    summary = build(str(into))
    typer.echo(f"{t('demo_store')}: {into}")
    typer.echo(f"  units: {summary['units']}; plans: {len(summary['plans'])}")
    _show(str(into))
    typer.echo(f"\nExplore it: kh --db {into} plan show na-2021")


def _show(target: str) -> None:
    from kh.cli import listings, state
    from kh.cli.options import Format

    state.db = target
    from kh.cli.plan import list_

    list_(Format.table, False)
    listings.deadlines(plan="na-2021", assignee="Sở Y tế", fmt=Format.table, bom=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
