"""kh backup FILE, kh restore FILE."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kh.cli import state
from kh.i18n import t


def backup(file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (must not exist).")]) -> None:
    """Copy the store to FILE, consistently, even while others are writing to it.

    Example: kh backup ~/sao-luu/kh-2026-06-30.sqlite
    """
    from kh.store.backup import backup as do_backup

    version = do_backup(state.target(), file)
    typer.echo(t("backed_up", file=file, version=version))


def restore(file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by kh backup.")]) -> None:
    """Bring a backup back as the store, after checking it; the replaced store is kept beside it.

    An older backup is upgraded as kh init would. Example: kh restore ~/sao-luu/kh-2026-06-30.sqlite
    """
    from kh.store.backup import restore as do_restore
    from kh.store.db import init

    version, kept = do_restore(state.target(), file)
    init(state.target())
    typer.echo(t("restored", file=file, version=version))
    if kept:
        typer.echo(t("kept_old", path=kept))


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
