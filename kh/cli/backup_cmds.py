"""kh backup FILE, kh restore FILE."""

from pathlib import Path
from typing import Annotated

import typer

from kh.cli import state
from kh.i18n import t


def backup(file: Annotated[Path, typer.Argument(metavar="FILE", help="help.backup.file")]) -> None:
    """Its help text is "help.cmd.backup" in kh/catalogue.py."""
    from kh.store.backup import backup as do_backup

    version = do_backup(state.target(), file)
    typer.echo(t("msg.backed_up", file=file, version=version))


def restore(file: Annotated[Path, typer.Argument(metavar="FILE", help="help.restore.file")]) -> None:
    """Its help text is "help.cmd.restore" in kh/catalogue.py."""
    from kh.store.backup import restore as do_restore
    from kh.store.db import init

    version, kept = do_restore(state.target(), file)
    init(state.target())
    typer.echo(t("msg.restored", file=file, version=version))
    if kept:
        typer.echo(t("msg.kept_old", path=kept))


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
