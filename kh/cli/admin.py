"""kh admin officer | clerk | revoke | list: who may read and write what on a shared PostgreSQL
store (its own roles and row-level security do the enforcing)."""

from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, BomOpt, Format, FormatOpt, render

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

ADMIN_COLUMNS = ["role", "unit", "access", "reports_for"]
RoleArg = Annotated[str, typer.Argument(metavar="ROLE", help="help.admin.role")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="UNIT", help="help.admin.unit")]
AssigneeOpt = Annotated[Optional[list[str]], typer.Option(
    "--assignee", "-a", metavar="NAME", help="help.admin.assignee")]
PasswordOpt = Annotated[Optional[str], typer.Option(
    "--password", metavar="TEXT", envvar="KH_ROLE_PASSWORD",
    help="help.admin.password")]


def _set(role: str, unit: str, write: bool, assignees: Optional[list[str]], password: Optional[str]) -> None:
    from kh.store import access
    from kh.text import nfc

    names = [nfc(a.strip()) for a in assignees or [] if a.strip()]
    with state.store().begin() as conn:
        from kh.cli.options import today, unit_code

        unit = unit_code(conn, unit, day=today(None))
        new = access.set_role(conn, role, unit=unit, write=write, assignees=names, password=password)
    from kh.i18n import t

    key = {(True, True): "msg.role_created_officer", (True, False): "msg.role_created_clerk",
           (False, True): "msg.role_updated_officer", (False, False): "msg.role_updated_clerk"}[new, write]
    extra = t("msg.role_records_for", names="; ".join(names)) if names else ""
    typer.echo(t(key, role=role, unit=unit, extra=extra))


@app.command()
def officer(role: RoleArg, unit: UnitOpt, assignee: AssigneeOpt = None, password: PasswordOpt = None) -> None:
    """Its help text is "help.cmd.admin.officer" in kh/catalogue.py."""
    _set(role, unit, True, assignee, password)


@app.command()
def clerk(role: RoleArg, unit: UnitOpt, assignee: AssigneeOpt = None, password: PasswordOpt = None) -> None:
    """Its help text is "help.cmd.admin.clerk" in kh/catalogue.py."""
    _set(role, unit, False, assignee, password)


@app.command()
def revoke(role: RoleArg) -> None:
    """Its help text is "help.cmd.admin.revoke" in kh/catalogue.py."""
    from kh.store import access

    with state.store().begin() as conn:
        access.revoke(conn, role)
    from kh.i18n import t

    typer.echo(t("msg.role_revoked", role=role))


@app.command("list")
def list_(fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """Its help text is "help.cmd.admin.list" in kh/catalogue.py."""
    from kh.store import access

    with state.store().read() as conn:
        rows = access.listing(conn)
    render(rows, ADMIN_COLUMNS, fmt.value, bom=bom, out=out, listing="admin.list")
