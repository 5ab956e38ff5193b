"""kh init, kh where."""

import typer

from kh.cli import state
from kh.i18n import t


def init() -> None:
    """Its help text is "help.cmd.init" in kh/catalogue.py."""
    from kh.location import display
    from kh.store.db import init as do_init

    target = state.target()
    before, after = do_init(target)
    if before == 0:
        typer.echo(t("msg.store_created", target=display(target), version=after))
    elif before < after:
        typer.echo(t("msg.store_upgraded", target=display(target), before=before, version=after))
    else:
        typer.echo(t("msg.store_current", target=display(target), version=after))


def where() -> None:
    """Its help text is "help.cmd.where" in kh/catalogue.py."""
    from kh.location import display

    typer.echo(display(state.target()))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(where)
