"""kh todo: what a commune officer still owes — figures to enter, reports to send, open tasks."""

from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import (AsOfOpt, AssigneeOpt, BomOpt, ForceOpt, Format, FormatOpt, OutOpt, PlanOpt,
                            parse_period, render, today)
from kh.i18n import t

UnitsOpt = Annotated[Optional[list[str]], typer.Option("--unit", "-u", metavar="UNIT", help="help.todo.unit")]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="help.todo.period")]

# The table's columns per section (csv/json: kh.todo.COLUMNS, every section in one array).
FIGURE_TABLE = ["item", "name", "last", "value_text", "status"]
REPORT_TABLE = ["item", "name", "period_text", "due", "status"]
TASK_TABLE = ["item", "name", "due", "status"]


def gather(conn, unit: str, period: Optional[str], as_of, *, plan: Optional[str] = None,
           assignee: Optional[str] = None, owed: bool = True) -> dict:
    """Everything kh todo (and guided entry) shows for one unit: the unit, the period (given or
    the default one), the plans concerning it, the figure rows, and the reports and tasks owed."""
    from kh import todo
    from kh.figures import month_index
    from kh.periods import period_containing
    from kh.store import todo_rows

    p = parse_period(period)
    if p is None:  # the month being reported that day, under the cut-off of the plans concerned
        probe = period_containing(as_of, "month")
        todo_rows.unit_in(conn, unit, probe)
        near = [pl for pl in todo_rows.plans_for(conn, unit, *month_index(probe), whole=False)
                if pl.start <= as_of <= pl.end]
        p = todo.default_period(as_of, {pl.cutoff_day for pl in near})
    version = todo_rows.unit_in(conn, unit, p)
    if plan:
        from kh.store import plans as store_plans

        store_plans.require(conn, plan)
    # Whole plans only where there are reports and tasks to list (guided entry: figures only).
    plans = [pl for pl in todo_rows.plans_for(conn, unit, *month_index(p), whole=owed)
             if todo.overlaps(pl, p) and (plan is None or pl.id == plan)]
    wanted: dict[str, list[str]] = {}
    for pl, ind in todo.indicators_for(plans, version["kind"]):
        wanted.setdefault(pl.id, []).append(ind.ref)
    here, last = todo_rows.figures_around(conn, unit, wanted, p)
    figures = todo.figure_rows(plans, version, p, here, last)
    rows, who = [], []
    if owed:
        if assignee:
            from kh.cli.listings import match_assignee

            who = [match_assignee(plans, assignee)]
        else:
            who = todo_rows.granted(conn)[1] or todo.assignees_of(plans, unit, [version["name"]], version["kind"])
        done = todo_rows.done_by(conn, plans, who, as_of)
        rows = todo.owed_rows(plans, done, as_of, p, who)
        for r in rows:
            r["unit"] = unit
    return dict(unit=version, period=p, given=period is not None, plans=plans, figures=figures,
                owed=rows, assignees=who)


def units_to_show(conn, units: Optional[list[str]], *, plan: Optional[str] = None, period: Optional[str] = None,
                  day=None) -> list[str]:
    """--unit (a code, or a name: kh's one resolver, within --plan's area and the period), else
    the units the connected officer may write (PostgreSQL grants), else refused."""
    from kh.cli.options import unit_code
    from kh.errors import KhError
    from kh.store import todo_rows

    if units:
        return list(dict.fromkeys(unit_code(conn, u, plan=plan, period=period, day=day) for u in units))
    mine = todo_rows.granted(conn)[0]
    if not mine:
        raise KhError("todo.which_unit", where="--unit")
    return mine


def todo_cmd(
    unit: UnitsOpt = None, period: PeriodOpt = None, as_of: AsOfOpt = None, plan: PlanOpt = None,
    assignee: AssigneeOpt = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.todo" in kh/catalogue.py."""
    from kh.todo import COLUMNS

    day = today(as_of)
    with state.store().read() as conn:
        found = [gather(conn, u, period, day, plan=plan, assignee=assignee)
                 for u in units_to_show(conn, unit, plan=plan, period=period, day=day)]
    if fmt is not Format.table:
        render([r for g in found for r in g["figures"] + g["owed"]], COLUMNS, fmt.value, bom=bom, out=out)
        return
    import io
    import sys

    buf = io.StringIO() if out else sys.stdout
    for g in found:
        _table(g, day, buf)
    if out:
        from kh.render import write_text

        write_text(out, buf.getvalue())


def _table(g: dict, day, out) -> None:
    from kh.i18n import lang
    from kh.periods import period_name
    from kh.render import plain, render as draw

    def period_text(label) -> str:
        return period_name(label, lang()) if label else ""

    def amount(v, den) -> str:
        return "" if v is None else f"{plain(v)}/{plain(den)}" if den is not None else str(plain(v))

    u, p = g["unit"], g["period"]
    out.write(t("msg.todo_heading", unit=u["code"], name=u["name"], period=period_text(p), label=str(p),
                as_of=day.isoformat()) + "\n")
    if not g["given"]:
        out.write(t("msg.todo_default_period") + "\n")
    figures = g["figures"]
    for r in figures:
        r["last"] = (f"{amount(r['last_value'], r['last_denominator'])} ({period_text(r['last_period'])})"
                     if r["last_period"] else "—")
        r["value_text"] = amount(r["value"], r["denominator"])
        if r["covered_by"]:
            r["value_text"] = " ".join(x for x in (r["value_text"], "(" + ", ".join(
                period_text(c) for c in r["covered_by"].split("; ")) + ")") if x)
    plans = {r["plan"] for r in figures + g["owed"]}
    lead = ["plan"] if len(plans) > 1 else []
    missing = sum(1 for r in figures if r["status"] == "missing")
    draw(figures, lead + FIGURE_TABLE, "table", out=out,
         title=t("msg.todo_figures_title", missing=missing, total=len(figures)))
    reports = [r for r in g["owed"] if r["section"] == "report"]
    for r in reports:
        r["period_text"] = period_text(r["period"])
    draw(reports, lead + REPORT_TABLE, "table", out=out,
         title=t("msg.todo_reports_title", who="; ".join(g["assignees"]) or "—"),
         labels={"item": t("col.obligation")})
    tasks = [r for r in g["owed"] if r["section"] == "task"]
    draw(tasks, lead + TASK_TABLE, "table", out=out, title=t("msg.todo_tasks_title"),
         labels={"name": t("col.task")})


def register(app: typer.Typer) -> None:
    app.command("todo")(todo_cmd)
