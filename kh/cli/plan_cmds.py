"""kh plan import | list | show | export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, AsOfOpt, BomOpt, Format, FormatOpt, render
from kh.i18n import t


app = typer.Typer(rich_markup_mode=None, help="Plans: import plan files, list them, show one, export it.",
                  no_args_is_help=True)

PLAN_COLUMNS = ["id", "number", "title", "issuer", "issued_on", "start", "end"]


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Plan files (TOML).")],
    by: Annotated[Optional[str], typer.Option("--by", metavar="NAME", help="Who imports (default: your login name).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="Why, kept in kh history.")] = None,
) -> None:
    """Load plan files. All are checked first; if any is refused, none is stored.

    Importing a plan whose id is already in the store replaces its contents and keeps its
    figures. Example: kh plan import examples/plans/*.toml
    """
    from kh import planfile
    from kh.errors import KhError
    from kh.store import plans

    loaded = []
    seen: dict[str, Path] = {}
    for f in files:
        plan = planfile.load(f)
        if plan.id in seen:
            raise KhError(f"plan id {plan.id!r} is also in {seen[plan.id]}", where=str(f))
        seen[plan.id] = f
        loaded.append(plan)
    from kh.cli.options import now, who
    from kh.store import history

    store = state.store()
    at = now()
    with store.begin() as conn:
        entries, summaries = [], []
        for p, f in zip(loaded, files):
            old = planfile.dumps(plans.load(conn, p.id)) if plans.exists(conn, p.id) else None
            new = plans.save(conn, p, now=at)
            text = planfile.dumps(p)
            if old != text:
                entries.append(dict(what="plan", action="import" if new else "update", plan_id=p.id,
                                    key=str(f), old=old, new=text))
            summaries.append((p, new, plans.counts(conn, p.id)))
        history.log(conn, entries, by=who(by, conn), at=at, reason=reason)
    for p, new, c in summaries:
        parts = ", ".join(f"{c[k]} {t(k).lower()}" for k in
                          ("indicators", "tasks", "assignees", "obligations", "phases", "steps") if c[k])
        typer.echo(f"{t('imported') if new else t('updated')} {p.id}: {parts}")


@app.command("list")
def list_(fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """List the plans in the store. Example: kh plan list --format csv --bom > plans.csv"""
    from kh.store import plans

    with state.store().read() as conn:
        rows = plans.list_plans(conn)
    render(rows, PLAN_COLUMNS, fmt.value, bom=bom, out=out)


@app.command()
def show(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN", help="The plan's id.")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False,
) -> None:
    """One plan with its phases, steps, indicators, tasks and report obligations.

    Example: kh plan show na-2021
    """
    from kh import planfile
    from kh.cli.options import today
    from kh.cli.listings import indicator_rows
    from kh.deadlines import obligation_rows, task_rows
    from kh.store import completions, plans

    from kh.cli import damaged

    if fmt is Format.xlsx:
        from kh.errors import KhError

        raise KhError("kh plan show has no workbook; use kh indicator list or kh task list --plan with -f xlsx",
                      where="--format")
    with state.store().read() as conn:
        plan = damaged.each(plan_id, lambda: plans.load(conn, plan_id, where="PLAN"), alone=True)
        done = completions.done(conn, [plan.id])
    if fmt is Format.json:
        import json

        text = damaged.each(plan.id, lambda: json.dumps([planfile.to_dict(plan)], ensure_ascii=False, indent=2,
                                                        default=str), alone=True)
        typer.echo(text)
        return
    if fmt in (Format.csv, Format.csv_raw):
        render([vars(plan)], PLAN_COLUMNS, fmt.value, bom=bom)
        return
    day = today(as_of)
    parts = damaged.each(plan.id, lambda: (indicator_rows([(plan.id, i) for i in plan.indicators]),
                                           task_rows(plan, done, day), obligation_rows(plan, done, day)),
                         alone=True)
    _show_table(plan, *parts)


def _show_table(plan, indicators, tasks, deadlines) -> None:
    from rich.console import Console
    from rich.markup import escape

    from kh.render import table

    c = Console(highlight=False)
    c.print(f"[bold]{escape(plan.title)}[/bold]")
    c.print(f"{t('id')}: {plan.id}   {t('number')}: {escape(plan.number or '—')}   "
            f"{t('issuer')}: {escape(plan.issuer)}   {t('issued_on')}: {plan.issued_on or '—'}")
    cutoff = t({1: "calendar", 15: "nd09"}.get(plan.cutoff_day, f"day {plan.cutoff_day}"))
    c.print(f"{t('start')}: {plan.start}   {t('end')}: {plan.end}   {t('cutoff')}: {cutoff}")
    for d in plan.implements:
        c.print(f"  {t('implements')}: {escape(d)}")
    if plan.phases:
        table([{"name": p.name, "start": p.start or plan.start, "end": p.end} for p in plan.phases],
              ["name", "start", "end"], title=t("phases"))
    if plan.steps:
        table([{"step": s.number, "text": s.text} for s in plan.steps], ["step", "text"],
              title=t("steps"))
    table(indicators, ["ref", "name", "kind", "target_text", "measure"], title=t("indicators"))
    table(tasks, ["ref", "assignee", "role", "due", "status", "task"], title=t("tasks"))
    table(deadlines, ["obligation", "assignee", "period", "due", "status", "deadline_text"], title=t("obligations"))


@app.command()
def export(plan_id: Annotated[str, typer.Argument(metavar="PLAN", help="The plan's id.")]) -> None:
    """Write the plan file to stdout; importing it again changes nothing.

    Example: kh plan export na-2021 > na-2021.toml
    """
    from kh import planfile
    from kh.store import plans

    from kh.cli import damaged

    with state.store().read() as conn:
        plan = damaged.each(plan_id, lambda: plans.load(conn, plan_id, where="PLAN"), alone=True)
    typer.echo(damaged.each(plan_id, lambda: planfile.dumps(plan), alone=True), nl=False)
