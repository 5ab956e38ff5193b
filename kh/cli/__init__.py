"""The command line: parse, call the core and the store, render. Nothing else lives here.

Start-up must stay fast (``kh --help``, shell completion): this package imports no SQLAlchemy;
each command imports the store inside its body. Its modules do not use ``from __future__ import
annotations``: typer reads every command's signature at each start, and string annotations made it
compile and evaluate each parameter's ``Annotated[…]`` twice per command (about 20 ms a start,
tests/test_startup.py).
"""

import errno
import gc
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
    one place for the whole command tree). Before parsing, it takes ``--lang`` from anywhere on
    the command line and puts the help texts of the whole tree into that language."""

    def main(self, args=None, *rest, **kwargs):
        args = list(sys.argv[1:] if args is None else args)
        args = _take_lang(args)
        # No shell can pass a NUL (argv is C strings), but a script calling kh in-process or
        # through another runtime can; PostgreSQL cannot store one and would fail deep inside.
        for a in args:
            if "\x00" in a:
                typer.echo("kh: " + i18n.t("msg.nul_argument", arg=a), err=True)
                sys.exit(1)
        _translate_help(self, "kh", args)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: typer.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or device says so here, not at exit
            return result
        except KhError as e:
            message = e.message
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
            _fail("kh: " + i18n.t("msg.output_failed", reason=e.strerror), 1)
        except Exception as e:  # a bug: still one line, the detail on request
            if os.environ.get("KH_DEBUG"):
                raise
            first = (str(e).strip().splitlines() or [""])[0]
            _fail("kh: " + i18n.t("msg.internal_error", error=f"{type(e).__name__}: {first}"), 1)
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
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _take_lang(args: list[str]) -> list[str]:
    """``--lang vi`` / ``--lang=vi`` wherever it stands (before ``--``), removed from ``args``;
    the language is set from it, else KH_LANG, else the locale. A value that is not a language
    is put back in front, for click to refuse as a usage error (exit 2)."""
    chosen, out, i = None, [], 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out += args[i:]
            break
        if a == "--lang" and i + 1 < len(args):
            chosen, i = args[i + 1], i + 2
            continue
        if a.startswith("--lang="):
            chosen, i = a[len("--lang="):], i + 1
            continue
        out.append(a)
        i += 1
    if chosen is not None and chosen not in (x.value for x in Lang):
        i18n.set_lang(None)
        return ["--lang", chosen, *out]
    i18n.set_lang(chosen)
    return out


def _translate_help(cmd, path: str, args: list[str] | None = None) -> None:
    """Help texts live in kh/catalogue.py: a command's under "help.cmd.<path>" (path of names
    joined by dots: "help.cmd.plan.import"), an option's under the key its ``help=`` names.

    With ``args`` (the command line), only what a help page of that line can show is done: the
    commands on its path, their options, and the one-line help of their subcommands (start-up
    time); without, the whole tree (tests)."""
    from kh.i18n import lookup

    cmd.help = i18n.t(f"help.cmd.{path}")
    cmd.short_help = None
    helper = cmd.get_help_option(_HelpNames)
    if helper is not None:
        helper.help = i18n.t("help.word.Show this message and exit.")
    for p in cmd.params:
        key = getattr(p, "help", None)
        if p.name in ("install_completion", "show_completion"):
            key = f"help.kh.{p.name}"
        if key and lookup(key) is not None:
            p.help = i18n.t(key)
    for name, sub in getattr(cmd, "commands", {}).items():
        sub_path = f"{path}.{name}".removeprefix("kh.")
        if args is None or name in args or sub.hidden:  # a hidden default (kh record's one) shows in its group's help
            _translate_help(sub, sub_path, args)
        else:
            sub.help, sub.short_help = i18n.t(f"help.cmd.{sub_path}"), None  # its line in a listing
    if path == "kh":
        import typer.core
        from typer._click.formatting import HelpFormatter

        # typer's own words on a help page ("Options", "required", "Usage:").
        typer.core._ = lambda s: lookup(f"help.word.{s}") or s  # raw: typer formats them itself
        if HelpFormatter.write_usage is not _write_usage:
            _PLAIN_USAGE.append(HelpFormatter.write_usage)
            HelpFormatter.write_usage = _write_usage


_PLAIN_USAGE: list = []  # typer's own write_usage, once it is replaced


def _write_usage(self, prog, args="", prefix=None):
    """typer's write_usage with "Usage:" in the active language."""
    return _PLAIN_USAGE[0](self, prog, args, prefix if prefix is not None else i18n.t("help.word.Usage:") + " ")


class _HelpNames:
    """What get_help_option reads of a context: the names of the help option."""
    help_option_names = ["-h", "--help"]


def _show_version(value: bool) -> None:
    """kh --version: the installed distribution's version (importlib.metadata, read only here:
    kh --help does not pay for it), else the source tree's."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("kh")
    except PackageNotFoundError:  # run from a source tree that was never installed
        import kh

        number = kh.__version__
    typer.echo(f"kh {number}")
    raise typer.Exit(0)


@app.callback()
def _global(
    db: Annotated[Optional[str], typer.Option(
        "--db", metavar="TARGET",
        help="help.kh.db")] = None,
    lang: Annotated[Optional[Lang], typer.Option(
        "--lang", help="help.kh.lang")] = None,
    version: Annotated[Optional[bool], typer.Option(
        "--version", "-V", is_eager=True, callback=_show_version, help="help.kh.version")] = None,
) -> None:
    state.db = db  # --lang was taken by _Group.main wherever it stood


def _register() -> None:
    from kh.cli import (acceptance_cmds, admin, backup_cmds, bundle_cmds, demo_cmds, extract_cmds, figure_cmds,
                        listings, paper_cmds, plan_cmds,
                        store_cmds, todo_cmds, unit_cmds)

    store_cmds.register(app)
    backup_cmds.register(app)
    demo_cmds.register(app)
    app.add_typer(plan_cmds.app, name="plan")
    app.add_typer(unit_cmds.app, name="unit")
    listings.register(app)
    figure_cmds.register(app)
    todo_cmds.register(app)
    app.add_typer(admin.app, name="admin")
    extract_cmds.register(app)
    paper_cmds.register(app)
    bundle_cmds.register(app)
    acceptance_cmds.register(app)


_register()


def main() -> None:
    # A command is a short process that creates many objects (the modules of SQLAlchemy, and of
    # pydantic for typer's parameters) and frees few: at Python's default of a collection every
    # 700 new objects, the collector walked that growing heap about 150 times a command (20 to 60
    # ms of processor time, docs/performance.md). Every 10,000 it runs about 30 times; reference
    # cycles are still collected, and the national gap report's peak memory is unchanged.
    gc.set_threshold(10_000, 10, 10)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kh: " + i18n.t("msg.interrupted"), err=True)
        sys.exit(130)
    finally:
        # The process ends here: Python's last collection would walk every object the command
        # made (60-100 ms of processor time for a store command, more with psycopg's modules)
        # to free memory the system takes back anyway. The store is closed and the output
        # flushed by now (_Group.invoke); atexit handlers and plain reference counting still run.
        gc.freeze()
