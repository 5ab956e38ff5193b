"""kh indicator list, kh task list / done, kh deadlines, kh overdue, kh submit: what the plans
promise, who owes what, and since when."""

from datetime import date
from enum import Enum
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import (ForceOpt, AsOfOpt, OutOpt, AssigneeOpt, BomOpt, ByOpt, Format, FormatOpt, OverdueFormat, PlanOpt,
                            ReasonOpt, parse_day, parse_period, render)
from kh.cli.options import now as _now
from kh.cli.options import today as _today
from kh.cli.options import who as _who
from kh.i18n import t


INDICATOR_COLUMNS = ["plan", "ref", "name", "kind", "comparator", "target", "unit", "baseline",
                     "periodicity", "measure", "counts", "per_unit", "target_text", "decimals"]
TASK_COLUMNS = ["plan", "ref", "task", "assignee", "role", "due", "done_on", "status", "days_overdue",
                "period", "period_start", "period_end"]
DEADLINE_COLUMNS = ["plan", "obligation", "obligation_name", "assignee", "period", "deadline_text", "due",
                    "submitted_on", "days_overdue", "status", "to", "period_start", "period_end"]

indicator_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)
task_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

SoonOpt = Annotated[Optional[int], typer.Option("--soon", metavar="DAYS", min=0, max=366,
                                                help="help.opt.soon")]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="help.opt.period")]
OnOpt = Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="help.opt.on")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="help.opt.note")]
UndoOpt = Annotated[bool, typer.Option("--undo", help="help.opt.undo")]


def indicator_rows(items) -> list[dict]:
    return [dict(plan=pid, ref=i.ref, name=i.name, kind=i.kind, comparator=i.comparator,
                 target=i.target_label, unit=i.unit, baseline=i.baseline_label,
                 periodicity=i.periodicity_label, measure=i.measure, counts=i.counts,
                 per_unit=i.per_unit, target_text=i.target_text, decimals=i.decimals) for pid, i in items]


def load_plans(conn, plan_id: str | None):
    from kh.cli import damaged
    from kh.store import plans

    if plan_id:
        return [damaged.each(plan_id, lambda: plans.load(conn, plan_id), alone=True)]
    loaded = (damaged.each(p["id"], lambda: plans.load(conn, p["id"])) for p in plans.list_plans(conn))
    return [p for p in loaded if p is not None]


def match_assignee(plans_, query: str | None) -> str | None:
    from kh.suggest import match_name

    if query is None:
        return None
    names = [a.name for p in plans_ for a in p.assignees]
    aliases = {al: a.name for p in plans_ for a in p.assignees for al in a.aliases}
    return match_name(query, names, "assignee", aliases, where="--assignee")


@indicator_app.command("list")
def indicator_list(plan: PlanOpt = None, fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """Its help text is "help.cmd.indicator.list" in kh/catalogue.py."""
    from kh.store import plans

    with state.store().read() as conn:
        if plan:
            plans.require(conn, plan)
        items = plans.indicators(conn, plan)
    render(indicator_rows(items), INDICATOR_COLUMNS, fmt.value, bom=bom, out=out, listing="indicator.list")


def _listing(plan: Optional[str], assignee: Optional[str], as_of: date, soon: Optional[int], build):
    """Load the plans and what was done once; then the rows ``build`` makes of each plan."""
    from kh.store import completions

    with state.store().read() as conn:
        plans_ = load_plans(conn, plan)
        done = completions.done(conn, [p.id for p in plans_], as_of)  # as it was that day
    who = match_assignee(plans_, assignee)
    from kh.cli import damaged

    # A plan whose stored rules are damaged is named on stderr and left out of the list.
    per_plan = [damaged.each(p.id, lambda: list(build(p, done, as_of, soon=soon, assignee=who)),
                             alone=plan is not None) for p in plans_]
    return [r for rows in per_plan if rows is not None for r in rows]


@task_app.command("list")
def task_list(plan: PlanOpt = None, assignee: AssigneeOpt = None, as_of: AsOfOpt = None,
              soon: SoonOpt = None, fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """Its help text is "help.cmd.task.list" in kh/catalogue.py."""
    from kh.deadlines import task_rows

    rows = _listing(plan, assignee, _today(as_of), soon, task_rows)
    render(rows, TASK_COLUMNS, fmt.value, bom=bom, out=out, listing="task.list")


def _mark(kind: str, plan: str, item: str, assignee: str, period: Optional[str], on: Optional[str],
          undo: bool, by: Optional[str], note: Optional[str], as_of: Optional[str],
          reason: Optional[str]) -> None:
    """Shared by kh submit and kh task done: find the occurrence, then record or undo it."""
    from kh.deadlines import check_done_on, period_to_mark
    from kh.store import completions, plans as store_plans

    today = _today(as_of)
    day = parse_day(on, "--on") or today
    check_done_on(kind, day, today)
    with state.store().begin() as conn:
        p = store_plans.load(conn, plan, where="PLAN")
        who = match_assignee([p], assignee)
        if kind == "obligation":  # a key, the start of one, or the start of its name
            from kh.deadlines import find_obligation

            item = find_obligation(p, item).key
        label = period_to_mark(p, kind, item, who, parse_period(period))
        key = dict(plan_id=plan, kind=kind, item=item, assignee=who, period=label)
        if undo:
            was = completions.undo(conn, **key, by=_who(by, conn), now=_now(), reason=reason)
            typer.echo(" ".join(t("msg.undone", item=item, who=who, period=label, on=was).split()))
            return
        new, counted = completions.mark(conn, **key, on=day, by=_who(by, conn), now=_now(), note=note,
                                        reason=reason)
    message = t("msg.marked" if new else "msg.already_marked", item=item, who=who, period=label, on=counted)
    typer.echo(" ".join(message.split()))  # no double space where there is no period
    command = " ".join(["kh", "submit" if kind == "obligation" else "task done", plan, item, "-a", _quoted(who)]
                       + (["--period", label] if label else []))
    if not new and on is not None and counted != day:
        # The first day stands: say how to correct it rather than let "unchanged" pass for done.
        typer.echo(t("msg.other_day_unchanged", counted=counted, day=day, command=command), err=True)
    elif new and on is None:
        # No --on: the day recorded is today's, which is not always the day it was sent.
        from kh.deadlines import due_of

        due = due_of(p, kind, item, label)
        if due is not None and day > due:
            typer.echo(t("msg.recorded_today_late", day=day, due=due, days=(day - due).days, command=command),
                       err=True)
        else:
            typer.echo(t("msg.recorded_today", day=day), err=True)


def _quoted(text: str) -> str:
    """A value as the shell takes it back: quoted when it holds a space or a quote."""
    import shlex

    return shlex.quote(text)


@task_app.command("done")
def task_done(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="help.task.done.ref")],
    assignee: Annotated[str, typer.Option("--assignee", "-a", metavar="WHO", help="help.task.done.assignee")],
    period: PeriodOpt = None, on: OnOpt = None, undo: UndoOpt = False, by: ByOpt = None,
    note: NoteOpt = None, as_of: AsOfOpt = None,
    reason: ReasonOpt = None,
) -> None:
    """Its help text is "help.cmd.task.done" in kh/catalogue.py."""
    _mark("task", plan, ref, assignee, period, on, undo, by, note, as_of, reason)


def submit(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    obligation: Annotated[str, typer.Argument(metavar="OBLIGATION", help="help.submit.obligation")],
    assignee: Annotated[str, typer.Option("--assignee", "-a", metavar="WHO", help="help.submit.assignee")],
    period: PeriodOpt = None, on: OnOpt = None, undo: UndoOpt = False, by: ByOpt = None,
    note: NoteOpt = None, as_of: AsOfOpt = None,
    reason: ReasonOpt = None,
) -> None:
    """Its help text is "help.cmd.submit" in kh/catalogue.py."""
    _mark("obligation", plan, obligation, assignee, period, on, undo, by, note, as_of, reason)


def deadlines(plan: PlanOpt = None, assignee: AssigneeOpt = None, as_of: AsOfOpt = None,
              soon: SoonOpt = None, fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """Its help text is "help.cmd.deadlines" in kh/catalogue.py."""
    from kh.deadlines import obligation_rows

    rows = _listing(plan, assignee, _today(as_of), soon, obligation_rows)
    rows.sort(key=lambda r: (r["due"], r["plan"]))
    render(rows, DEADLINE_COLUMNS, fmt.value, bom=bom, out=out, listing="deadlines")
    from kh.cli.acceptance_cmds import show_returned

    show_returned(plan, assignee)  # reports a clerk sent back, with the reason (on stderr)


class RateBy(str, Enum):
    assignee = "assignee"
    obligation = "obligation"


def rates(plan: PlanOpt = None, assignee: AssigneeOpt = None, as_of: AsOfOpt = None,
          period: Annotated[Optional[str], typer.Option("--period", metavar="PERIOD",
                                                        help="help.rates.period")] = None,
          by: Annotated[RateBy, typer.Option("--by", help="help.rates.by")] = RateBy.assignee,
          fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None) -> None:
    """Its help text is "help.cmd.rates" in kh/catalogue.py."""
    from kh.deadlines import RATE_COLUMNS, obligation_rows, rate_total, rates as rate_rows, rows_within

    day = _today(as_of)
    within = parse_period(period)
    rows = _listing(plan, assignee, day, None, obligation_rows)
    if within is not None:
        with state.store().read() as conn:
            cut = {p.id: p.cutoff_day for p in load_plans(conn, plan)}
        rows = rows_within(rows, within, cut)
    groups = rate_rows(rows, day, by.value)
    if fmt is Format.table:
        if groups:
            groups.append(rate_total(groups, t("msg.total")))
        render(groups, RATE_COLUMNS, "table", title=t("msg.rates_title", as_of=day), out=out,
               labels={"due": t("col.reports_due")}, listing="rates")
    else:
        render(groups, RATE_COLUMNS, fmt.value, bom=bom, out=out)


class Only(str, Enum):
    reports = "reports"
    tasks = "tasks"


def overdue(
    plan: PlanOpt = None, assignee: AssigneeOpt = None, as_of: AsOfOpt = None,
    fail_if_any: Annotated[bool, typer.Option("--fail-if-any", help="help.overdue.fail_if_any")] = False,
    fmt: Annotated[OverdueFormat, typer.Option("--format", "-f", metavar="table|csv|json|html|xlsx|docx|csv-raw",
                                               help="help.overdue.fmt")] = OverdueFormat.table,
    bom: BomOpt = False,
    sender: Annotated[Optional[str], typer.Option("--from", metavar="BODY", help="help.overdue.sender")] = None,
    parent: Annotated[Optional[str], typer.Option("--parent", metavar="BODY", help="help.overdue.parent")] = None,
    out: OutOpt = None, force: ForceOpt = False,
    only: Annotated[Optional[Only], typer.Option("--only", help="help.overdue.only")] = None,
) -> None:
    """Its help text is "help.cmd.overdue" in kh/catalogue.py."""
    from kh.deadlines import overdue_list
    from kh.errors import KhError
    from kh.store import completions

    if fmt is OverdueFormat.xlsx and out is None:
        raise KhError("xlsx.needs_output", where="--format")
    if fmt is OverdueFormat.docx and out is None:
        raise KhError("docx.needs_output", where="--format")
    today = _today(as_of)
    with state.store().read() as conn:
        plans_ = load_plans(conn, plan)
        sent = completions.sent(conn, [p.id for p in plans_], today)  # what was sent by that day, without when
    who = match_assignee(plans_, assignee)
    from kh.cli import damaged
    from kh.deadlines import sort_overdue

    # Plan by plan, so that one plan's damaged rows are named and the others still listed.
    per_plan = {p.id: damaged.each(p.id, lambda: overdue_list([p], sent, today, assignee=who,
                                                              reports=only is not Only.tasks,
                                                              tasks=only is not Only.reports),
                                   alone=plan is not None) for p in plans_}
    plans_ = [p for p in plans_ if per_plan[p.id] is not None]
    late = sort_overdue([r for p in plans_ for r in per_plan[p.id]], plans_)
    import io
    import sys

    buf = io.StringIO() if out else sys.stdout
    if fmt in (OverdueFormat.html, OverdueFormat.docx):
        from kh.papers import signable_overdue

        paper = signable_overdue(late, plans_, today, sender=sender, parent=parent)
        if fmt is OverdueFormat.docx:
            from kh.paper_docx import overdue_docx

            overdue_docx(paper, out)
        else:
            from kh.render import html_overdue_paper

            buf.write(html_overdue_paper(paper))
    elif fmt is OverdueFormat.table:
        from kh.render import grouped_table

        grouped_table(late, "overdue", "assignee", title=t("msg.overdue_title", as_of=today), out=buf)
    elif fmt is OverdueFormat.xlsx:
        render(late, DEADLINE_COLUMNS + ["kind"], fmt.value, out=out)
    else:
        render(late, DEADLINE_COLUMNS + ["kind"], fmt.value, bom=bom, out=buf)
    if out and fmt not in (OverdueFormat.xlsx, OverdueFormat.docx):
        from kh.render import write_text

        write_text(out, buf.getvalue())
    if fail_if_any and late:
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.add_typer(indicator_app, name="indicator")
    app.add_typer(task_app, name="task")
    app.command()(deadlines)
    app.command()(overdue)
    app.command()(rates)
    app.command()(submit)
