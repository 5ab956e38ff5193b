"""Options shared by every listing command, declared once."""

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    csv_raw = "csv-raw"  # csv without formula neutralising, for scripts that ask for it


class OverdueFormat(str, Enum):
    """kh overdue's formats: the listing ones, and a page to print."""
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    csv_raw = "csv-raw"
    docx = "docx"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="help.opt.format")]
def _remember_force(ctx: typer.Context, value: bool) -> bool:
    ctx.meta["kh_force"] = value
    return value


def _check_output(ctx: typer.Context, value: Optional[Path]) -> Optional[Path]:
    """-o never replaces a file silently (as kh backup never does): --force says it may. A
    device or pipe (/dev/stdout) is written into, never replaced."""
    if value is not None and value.is_file() and not ctx.meta.get("kh_force"):
        from kh.errors import KhError

        raise KhError("file.exists_no_force", where=str(value))
    return value


OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", callback=_check_output,
                                                help="help.opt.output")]
# Eager, so that -o's check (above) knows it whichever comes first on the command line.
ForceOpt = Annotated[bool, typer.Option("--force", is_eager=True, callback=_remember_force,
                                        help="help.opt.force")]
BomOpt = Annotated[bool, typer.Option("--bom", help="help.opt.bom")]
PlanOpt = Annotated[Optional[str], typer.Option("--plan", "-p", metavar="PLAN", help="help.opt.plan")]
AssigneeOpt = Annotated[Optional[str], typer.Option(
    "--assignee", "-a", metavar="WHO",
    help="help.opt.assignee")]


AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="help.opt.as_of")]
ByOpt = Annotated[Optional[str], typer.Option("--by", metavar="NAME", help="help.opt.by")]
ReasonOpt = Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="help.opt.reason")]


def today(as_of: Optional[str]) -> date:
    """--as-of, else the real today: the only place a command reads the clock."""
    return parse_day(as_of, "--as-of") or date.today()


def who(by: Optional[str], conn=None) -> str:
    """--by, else the login name: who a change is recorded as. On a PostgreSQL store (``conn``)
    it is the database role, always: the row-level security checks it."""
    if by is not None and not by.strip():
        from kh.errors import KhError

        raise KhError("options.by_empty", where="--by")
    role = None
    if conn is not None:
        from kh.store.access import current_role

        role = current_role(conn)
    if by and by.strip():
        from kh.text import nfc

        if role is not None and nfc(by.strip()) != role:
            from kh.errors import KhError

            raise KhError("access.by_is_role", where="--by", role=role)
        return nfc(by.strip())
    if role is not None:
        return role
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


def now():
    """When a change is recorded (UTC, stored without a zone)."""
    from kh.periods import utc_now

    return utc_now()


def parse_day(value: Optional[str], option: str) -> Optional[date]:
    if value is None:
        return None
    from kh.errors import KhError
    from kh.text import parse_date

    try:
        return parse_date(value)
    except KhError as e:
        raise e.at(option) from None


def parse_period(value: Optional[str], option: str = "--period", *, required: bool = False):
    """A period option (2021, 2021-H1, 2021-Q2, 2021-06) → ``Period``, its errors naming the option;
    absent (or empty) → None, unless the option is ``required`` (then empty is refused)."""
    if not value and not required:
        return None
    from kh.errors import KhError
    from kh.periods import parse_period as parse

    try:
        return parse(value)
    except KhError as e:
        raise e.at(option) from None


def unit_code(conn, typed: Optional[str], *, plan: Optional[str] = None, period=None,
              day: Optional[date] = None, where: str = "--unit") -> Optional[str]:
    """--unit as typed (a code, or a name such as 'Xã Quang Trung' or 'Cao Lộc') → the unit's
    code, by the store's one resolver (kh.store.unit_rows.resolve): a name is looked for in
    ``plan``'s area (else the whole store), among the units that existed in ``period`` (its
    bounds under the plan's cut-off) or on ``day``. A plan or period that is wrong is left for
    the command's own check to refuse."""
    if typed is None:
        return None
    from kh.errors import KhError
    from kh.periods import bounds
    from kh.store import plans as store_plans
    from kh.store.unit_rows import resolve

    def context():  # a name is looked for in the plan's area and period; a code needs neither
        area, cutoff = None, 1
        if plan:
            try:
                p = store_plans.load(conn, plan, targets_only=True)
                area, cutoff = p.area, p.cutoff_day
            except KhError:
                pass
        during = (day, day) if day else None
        when = period
        if isinstance(when, str):
            try:
                when = parse_period(when)
            except KhError:
                when = None
        if when is not None:
            during = bounds(when, cutoff)
        return area, during

    return resolve(conn, typed, where=where, context=context)


def render(rows, columns, fmt: str = "table", *, out: Optional[Path] = None, percent=None, **kwargs) -> None:
    """kh.render.render, imported when a command renders (csv and json cost start-up time).

    With ``out`` (a path) the listing goes to that file, written whole then renamed; ``xlsx``
    needs it. A stream as ``out`` is written to as it is."""
    if out is not None and not isinstance(out, (str, Path)):
        kwargs["out"], out = out, None
    if fmt == "xlsx":
        from kh.errors import KhError
        from kh.render import xlsx

        if out is None:
            raise KhError("xlsx.needs_output", where="--format")
        name = sheet()
        xlsx(rows, columns, out, sheet=name, title=name, percent=percent)
        return
    from kh.render import render as _render

    if out is None:
        _render(rows, columns, fmt, **kwargs)
        return
    import io

    from kh.render import write_text

    buf = io.StringIO()
    _render(rows, columns, fmt, out=buf, **kwargs)
    write_text(out, buf.getvalue())


def sheet() -> str:
    """The sheet name of a workbook: what the command lists (Chỉ tiêu, Quá hạn …)."""
    try:  # typer >= 0.29 runs on its own bundled click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older typer on the real click
        from click import get_current_context

    from kh.i18n import lookup, t

    ctx = get_current_context(silent=True)
    words = []
    while ctx is not None and ctx.parent is not None:  # the command's names, below kh itself
        words.insert(0, ctx.command.name or "")
        ctx = ctx.parent
    key = "sheet." + ".".join(w for w in words if not w.startswith("-"))  # sheet.<command path>
    return t(key) if lookup(key) is not None else (" ".join(words) or "kh")
