"""kh accept | return | reopen: a clerk receives a unit's report for a period, accepts it (its
figures locked), sends it back with a reason, or reopens it (docs/exchange.md, "Accepting")."""

from typing import Annotated, Optional

import typer


from kh.cli import state
from kh.cli.options import ByOpt, now, parse_period, unit_code, who
from kh.i18n import t

PlanArg = Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="UNIT", help="help.acceptance.unit")]
PeriodOpt = Annotated[str, typer.Option("--period", metavar="PERIOD", help="help.acceptance.period")]


def _reason(reason: Optional[str], needed: bool, command: str) -> Optional[str]:
    from kh.errors import KhError
    from kh.text import nfc

    if reason and reason.strip():
        return nfc(reason.strip())
    if needed:
        raise KhError("acceptance.return_needs_reason" if command == "return" else "acceptance.reopen_needs_reason",
                      where="--reason")
    return None


def accept(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
           reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="help.accept.reason")] = None,
           by: ByOpt = None) -> None:
    """Its help text is "help.cmd.accept" in kh/catalogue.py."""
    from kh.store import acceptance_rows

    period = str(parse_period(period) or period)  # "3/2025" is 2025-03
    with state.store().begin() as conn:
        unit = unit_code(conn, unit, plan=plan, period=period)
        new = acceptance_rows.accept(conn, plan=plan, unit=unit, period=period, by=who(by, conn), now=now(),
                                     reason=_reason(reason, False, "accept"))
    typer.echo(t("msg.accepted" if new else "msg.accepted_already", plan=plan, unit=unit, period=period))


def return_(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
            reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="help.return.reason")] = None,
            by: ByOpt = None) -> None:
    """Its help text is "help.cmd.return" in kh/catalogue.py."""
    _with_reason("give_back", "return", "msg.returned", plan, unit, period, reason, by)


def reopen(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
           reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="help.reopen.reason")] = None,
           by: ByOpt = None) -> None:
    """Its help text is "help.cmd.reopen" in kh/catalogue.py."""
    _with_reason("reopen", "reopen", "msg.reopened", plan, unit, period, reason, by)


def _with_reason(change: str, command: str, done: str, plan, unit, period, reason, by) -> None:
    """kh return and kh reopen: the same steps, a reason required, a different store change."""
    from kh.store import acceptance_rows

    text = _reason(reason, True, command)
    period = str(parse_period(period) or period)
    with state.store().begin() as conn:
        unit = unit_code(conn, unit, plan=plan, period=period)
        getattr(acceptance_rows, change)(conn, plan=plan, unit=unit, period=period, by=who(by, conn), now=now(),
                                         reason=text)
    typer.echo(t(done, plan=plan, unit=unit, period=period))


def show_returned(plan: Optional[str], assignee: Optional[str]) -> None:
    """Reports sent back to their unit, one line each on stderr: below kh deadlines, where the
    unit looks, without changing its columns."""
    from kh.periods import local_day
    from kh.store import acceptance_rows
    from kh.store import plans as store_plans
    from kh.store.bundle_rows import unit_assignees, unit_names

    with state.store().read() as conn:
        ids = [plan] if plan else [r["id"] for r in store_plans.list_plans(conn)]
        rows = acceptance_rows.returned(conn, ids)
        if not rows:
            return
        plans = {i: store_plans.load(conn, i) for i in {r["plan_id"] for r in rows}}
        names = {r["unit"]: unit_names(conn, r["unit"]) for r in rows}
    for r in rows:
        owners = unit_assignees([plans[r["plan_id"]]], names[r["unit"]])
        if assignee:
            from kh.text import fold

            if not any(fold(assignee) in fold(o) for o in owners):
                continue
        typer.echo(t("msg.returned_note", plan=r["plan_id"], unit=r["unit"], name=(names[r["unit"]] or [""])[-1],
                     period=r["period"], at=local_day(r['at']), by=r["by"], reason=r["reason"]), err=True)


def register(app: typer.Typer) -> None:
    app.command("accept")(accept)
    app.command("return")(return_)
    app.command("reopen")(reopen)
