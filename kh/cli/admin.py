"""kh admin officer | clerk | revoke | list: who may read and write what on a shared PostgreSQL
store (its own roles and row-level security do the enforcing)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, BomOpt, Format, FormatOpt, render

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Access control on a shared PostgreSQL store: officers' and clerks' database roles. "
                       "Run as the role that ran kh init (docs/deploy-postgresql.md). "
                       "keys and trust (any store): the signing keys of bundles (docs/exchange.md).\n\n"
                       "Example: kh admin officer ca_xa_cao_loc --unit 06211 -a \"UBND xã Cao Lộc\"")

ADMIN_COLUMNS = ["role", "unit", "access", "reports_for"]
RoleArg = Annotated[str, typer.Argument(metavar="ROLE", help="The database role: lower-case, e.g. ca_xa_quang_trung.")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="CODE", help="The unit (and every unit in it) the role covers.")]
AssigneeOpt = Annotated[Optional[list[str]], typer.Option(
    "--assignee", "-a", metavar="NAME", help="Whose reports and tasks the role records (repeat; as named in the plans).")]
PasswordOpt = Annotated[Optional[str], typer.Option(
    "--password", metavar="TEXT", envvar="KH_ROLE_PASSWORD",
    help="Set the role's login password (safer: in $KH_ROLE_PASSWORD, not on the command line).")]


def _set(role: str, unit: str, write: bool, assignees: Optional[list[str]], password: Optional[str]) -> None:
    from kh.store import access
    from kh.text import nfc

    names = [nfc(a.strip()) for a in assignees or [] if a.strip()]
    with state.store().begin() as conn:
        new = access.set_role(conn, role, unit=unit, write=write, assignees=names, password=password)
    what = "reads and writes" if write else "reads"
    extra = f"; records reports and tasks of {'; '.join(names)}" if names else ""
    typer.echo(f"{'Created' if new else 'Updated'} role {role}: {what} the figures of {unit} and the units in it{extra}")


@app.command()
def officer(role: RoleArg, unit: UnitOpt, assignee: AssigneeOpt = None, password: PasswordOpt = None) -> None:
    """Let a commune (or district) officer's role read and write the figures of its unit, and
    record its unit's reports. Replaces the role's earlier grants.

    Example: KH_ROLE_PASSWORD=… kh admin officer ca_xa_tan_thanh --unit 06187 -a "UBND xã Tân Thành"
    """
    _set(role, unit, True, assignee, password)


@app.command()
def clerk(role: RoleArg, unit: UnitOpt, assignee: AssigneeOpt = None, password: PasswordOpt = None) -> None:
    """Let a province clerk's role read every figure of its province and everyone's history;
    it writes no figures, and records reports only for the assignees given.

    Example: kh admin clerk ca_tinh_ls --unit 20 -a "Công an tỉnh"
    """
    _set(role, unit, False, assignee, password)


@app.command()
def revoke(role: RoleArg) -> None:
    """Take every grant away from a role in this store (the role stays on the server).

    Example: kh admin revoke ca_xa_tan_thanh
    """
    from kh.store import access

    with state.store().begin() as conn:
        access.revoke(conn, role)
    typer.echo(f"Revoked every grant of {role}")


@app.command("list")
def list_(fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """List the roles with grants in this store: their unit, access, and whose reports they record.

    Example: kh admin list -f csv
    """
    from kh.store import access

    with state.store().read() as conn:
        rows = access.listing(conn)
    render(rows, ADMIN_COLUMNS, fmt.value, bom=bom, out=out)
