"""kh indicator list, kh task list, kh deadlines: listings of what the plans promise."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import AssigneeOpt, BomOpt, Format, FormatOpt, PlanOpt
from kh.render import render

INDICATOR_COLUMNS = ["plan", "ref", "name", "kind", "comparator", "target", "unit", "baseline",
                     "periodicity", "measure", "counts", "per_unit", "target_text"]
TASK_COLUMNS = ["plan", "ref", "task", "assignee", "role", "due", "period", "period_start", "period_end"]
DEADLINE_COLUMNS = ["plan", "obligation", "obligation_name", "assignee", "to", "period",
                    "period_start", "period_end", "deadline_text", "due"]

indicator_app = typer.Typer(help="Indicators (chỉ tiêu): the targets of the plans.", no_args_is_help=True)
task_app = typer.Typer(help="Tasks (nhiệm vụ) and who carries them.", no_args_is_help=True)


def indicator_rows(items) -> list[dict]:
    return [dict(plan=pid, ref=i.ref, name=i.name, kind=i.kind, comparator=i.comparator,
                 target=i.target_label, unit=i.unit, baseline=i.baseline_label,
                 periodicity=i.periodicity_label, measure=i.measure, counts=i.counts,
                 per_unit=i.per_unit, target_text=i.target_text) for pid, i in items]


def _period_bounds(plan, period) -> dict:
    from kh.periods import bounds

    if period is None:
        return dict(period=None, period_start=None, period_end=None)
    start, end = bounds(period, plan.cutoff_day)
    return dict(period=str(period), period_start=start, period_end=end)


def task_rows(plan, assignee: str | None = None) -> list[dict]:
    from kh.deadlines import task_due

    rows = []
    for task in plan.tasks:
        dues = task_due(plan, task) or [None]
        for name, role in [(n, "lead") for n in task.lead] + [(n, "support") for n in task.support]:
            if assignee and name != assignee:
                continue
            for occ in dues:
                rows.append(dict(plan=plan.id, ref=task.ref, task=task.text, assignee=name,
                                 role=role, due=occ.due if occ else None,
                                 **_period_bounds(plan, occ.period if occ else None)))
    return rows


def deadline_rows(plan, assignee: str | None = None) -> list[dict]:
    from kh.deadlines import occurrences

    rows = []
    for ob in plan.obligations:
        occs = occurrences(ob.due, plan)
        for name in plan.debtors(ob):
            if assignee and name != assignee:
                continue
            for occ in occs:
                rows.append(dict(plan=plan.id, obligation=ob.key, obligation_name=ob.name,
                                 assignee=name, to=ob.to, deadline_text=ob.deadline_text,
                                 due=occ.due, **_period_bounds(plan, occ.period)))
    return rows


def _plans(conn, plan_id: str | None):
    from kh.store import plans

    if plan_id:
        return [plans.load(conn, plan_id)]
    return [plans.load(conn, p["id"]) for p in plans.list_plans(conn)]


def _assignee(plans_, query: str | None) -> str | None:
    from kh.suggest import match_name

    if query is None:
        return None
    names = [a.name for p in plans_ for a in p.assignees]
    aliases = {al: a.name for p in plans_ for a in p.assignees for al in a.aliases}
    return match_name(query, names, "assignee", aliases, where="--assignee")


@indicator_app.command("list")
def indicator_list(plan: PlanOpt = None, fmt: FormatOpt = Format.table, bom: BomOpt = False) -> None:
    """The targets (chỉ tiêu) of every plan, or of one: kind, comparator, target, baseline.

    Example: kh indicator list --plan na-2021
    """
    from kh.store import plans

    with state.store().read() as conn:
        if plan:
            plans.require(conn, plan)
        items = plans.indicators(conn, plan)
    cols = INDICATOR_COLUMNS if fmt is not Format.table else ["plan", "ref", "name", "kind", "target_text", "measure"]
    render(indicator_rows(items), cols, fmt.value, bom=bom)


@task_app.command("list")
def task_list(plan: PlanOpt = None, assignee: AssigneeOpt = None,
              fmt: FormatOpt = Format.table, bom: BomOpt = False) -> None:
    """Tasks, one row per assignee: lead (chủ trì) or support (phối hợp), with the due date.

    Example: kh task list --plan ls-2024-thang6 --assignee "Sở Y tế"
    """
    with state.store().read() as conn:
        plans_ = _plans(conn, plan)
    who = _assignee(plans_, assignee)
    rows = [r for p in plans_ for r in task_rows(p, who)]
    cols = TASK_COLUMNS if fmt is not Format.table else ["plan", "ref", "assignee", "role", "due", "task"]
    render(rows, cols, fmt.value, bom=bom)


def deadlines(plan: PlanOpt = None, assignee: AssigneeOpt = None,
              fmt: FormatOpt = Format.table, bom: BomOpt = False) -> None:
    """Every report obligation of every assignee, with the last on-time day (due).

    "trước ngày 16/6/2021" gives due 2021-06-15. Example: kh deadlines --plan na-2021 -f csv
    """
    with state.store().read() as conn:
        plans_ = _plans(conn, plan)
    who = _assignee(plans_, assignee)
    rows = [r for p in plans_ for r in deadline_rows(p, who)]
    rows.sort(key=lambda r: (r["due"], r["plan"]))
    cols = DEADLINE_COLUMNS if fmt is not Format.table else [
        "due", "plan", "obligation_name", "assignee", "period", "deadline_text"]
    render(rows, cols, fmt.value, bom=bom)


def register(app: typer.Typer) -> None:
    app.add_typer(indicator_app, name="indicator")
    app.add_typer(task_app, name="task")
    app.command()(deadlines)
