"""The command line: parse, call the core and the store, render. Nothing else lives here.

Start-up must stay fast (``kh --help``, shell completion): this package imports no SQLAlchemy;
each command imports the store inside its body.
"""

from __future__ import annotations

import errno
import os
import sys
from enum import Enum
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from kh import i18n
from kh.cli import state
from kh.errors import KhError

class _Group(TyperGroup):
    """Turns domain errors into exit 1 and one line on stderr, never a traceback (Watson-style:
    one place for the whole command tree)."""

    def invoke(self, ctx: typer.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or device says so here, not at exit
            return result
        except KhError as e:
            message = i18n.error(e.message)
            _fail(f"kh: {e.where}: {message}" if e.where else f"kh: {message}", e.exit_code)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own: usage errors (exit 2), --help, explicit exits
        except BrokenPipeError:
            # `kh … | head`: the reader has what it wanted; stop quietly, as cat does.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as e:
            if e.errno not in _WRITE_FAILED:
                raise _internal(e) from None
            # `kh … > /dev/full`, a full disk or quota: what was not written is dropped, so that
            # Python's own flush at exit does not fail again with a traceback.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError, AttributeError):
                pass
            _fail(f"kh: {i18n.error(f'cannot write the output: {e.strerror}; the output is incomplete')}", 1)
        except Exception as e:  # a bug: still one line, the detail on request
            if os.environ.get("KH_DEBUG"):
                raise
            first = (str(e).strip().splitlines() or [""])[0]
            _fail(f"kh: internal error: {type(e).__name__}: {first} (set KH_DEBUG=1 for details)", 1)
        finally:
            state.close()


_WRITE_FAILED = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _internal(e: Exception):
    if os.environ.get("KH_DEBUG"):
        return e
    first = (str(e).strip().splitlines() or [""])[0]
    typer.echo(f"kh: internal error: {type(e).__name__}: {first} (set KH_DEBUG=1 for details)", err=True)
    return typer.Exit(1)


def _fail(message: str, code: int):
    typer.echo(message, err=True)
    raise typer.Exit(code) from None


class Lang(str, Enum):
    vi = "vi"
    en = "en"


# rich_markup_mode=None everywhere: plain help, without importing rich's Markdown and Pygments
# (70 ms of start-up) for every `kh --help` and every shell completion.
app = typer.Typer(rich_markup_mode=None,
    cls=_Group,
    name="kh",
    help="Track Vietnamese drug-prevention plans (Kế hoạch PCMT): targets, tasks, deadlines.\n\n"
         "Start with: kh demo",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global(
    db: Annotated[Optional[str], typer.Option(
        "--db", metavar="TARGET",
        help="Store: a file path or a database URL (sqlite:///…, postgresql+psycopg://…). "
             "Default: $KH_DB, else the store in your data folder (kh where).")] = None,
    lang: Annotated[Optional[Lang], typer.Option(
        "--lang", help="Language of tables and messages. Default: from the locale (LANG=vi_VN…).")] = None,
) -> None:
    state.db = db
    i18n.set_lang(lang.value if lang else None)


def _register() -> None:
    from kh.cli import (acceptance_cmds, admin, backup_cmds, bundle_cmds, demo_cmds, extract_cmds, figure_cmds,
                        listings, paper_cmds, plan_cmds,
                        store_cmds, unit_cmds)

    store_cmds.register(app)
    backup_cmds.register(app)
    demo_cmds.register(app)
    app.add_typer(plan_cmds.app, name="plan")
    app.add_typer(unit_cmds.app, name="unit")
    listings.register(app)
    figure_cmds.register(app)
    app.add_typer(admin.app, name="admin")
    extract_cmds.register(app)
    paper_cmds.register(app)
    bundle_cmds.register(app)
    acceptance_cmds.register(app)


_register()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kh: interrupted; nothing was written", err=True)
        sys.exit(130)
