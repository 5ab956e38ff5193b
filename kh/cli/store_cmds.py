"""kh init, kh where."""

from __future__ import annotations

import typer

from kh.cli import state
from kh.i18n import t


def init() -> None:
    """Create the store, or upgrade it to this kh's schema. Safe to run again.

    Example: kh --db ~/pcmt.sqlite init
    """
    from kh.location import display
    from kh.store.db import init as do_init

    target = state.target()
    before, after = do_init(target)
    if before == 0:
        typer.echo(f"{t('store_created')}: {display(target)} (schema {after})")
    elif before < after:
        typer.echo(f"{t('store_upgraded')}: {display(target)} (schema {before} → {after})")
    else:
        typer.echo(f"{t('store_current')}: {display(target)} (schema {after})")


def where() -> None:
    """Print where the store is: --db, else $KH_DB, else the file in your data folder.

    Example: kh where
    """
    from kh.location import display

    typer.echo(display(state.target()))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(where)
