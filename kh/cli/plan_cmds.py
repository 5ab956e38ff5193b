"""kh plan import | list | show | export."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ForceOpt, OutOpt, AsOfOpt, BomOpt, Format, FormatOpt, render
from kh.i18n import t


app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

PLAN_COLUMNS = ["id", "number", "title", "issuer", "issued_on", "start", "end"]


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="help.plan.import.files")],
    by: Annotated[Optional[str], typer.Option("--by", metavar="NAME", help="help.plan.import.by")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="help.plan.import.reason")] = None,
) -> None:
    """Its help text is "help.cmd.plan.import" in kh/catalogue.py."""
    from kh import planfile
    from kh.errors import KhError
    from kh.store import plans

    loaded = []
    seen: dict[str, Path] = {}
    for f in files:
        plan = planfile.load(f)
        if plan.id in seen:
            raise KhError("plan.id_twice", where=str(f), id=plan.id, other=seen[plan.id])
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
            try:
                new = plans.save(conn, p, now=at)
            except KhError as e:  # a change the stored figures refuse: name the file's line
                if not (e.where or "").startswith("indicators["):
                    raise
                from kh.planfile.locating import line_of

                line = line_of(f.read_text(encoding="utf-8"), e.where)
                raise e.at(f"{f}:{line}: {e.where}" if line else f"{f}: {e.where}") from None
            text = planfile.dumps(p)
            if old != text:
                entries.append(dict(what="plan", action="import" if new else "update", plan_id=p.id,
                                    key=str(f), old=old, new=text))
            summaries.append((p, new, plans.counts(conn, p.id)))
        history.log(conn, entries, by=who(by, conn), at=at, reason=reason)
    for p, new, c in summaries:
        counted = {"indicators": "msg.n_indicators", "tasks": "msg.n_tasks", "assignees": "msg.n_assignees",
                   "obligations": "msg.n_obligations", "phases": "msg.n_phases", "steps": "msg.n_steps"}
        parts = ", ".join(t(key, n=c[k]) for k, key in counted.items() if c[k])
        typer.echo(t("msg.imported" if new else "msg.updated", plan=p.id, parts=parts))


@app.command("list")
def list_(fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False) -> None:
    """Its help text is "help.cmd.plan.list" in kh/catalogue.py."""
    from kh.store import plans

    with state.store().read() as conn:
        rows = plans.list_plans(conn)
    render(rows, PLAN_COLUMNS, fmt.value, bom=bom, out=out, listing="plan.list")


@app.command()
def show(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False,
) -> None:
    """Its help text is "help.cmd.plan.show" in kh/catalogue.py."""
    from kh import planfile
    from kh.cli.options import today
    from kh.cli.listings import indicator_rows
    from kh.deadlines import obligation_rows, task_rows
    from kh.store import completions, plans

    from kh.cli import damaged

    if fmt is Format.xlsx:
        from kh.errors import KhError

        raise KhError("xlsx.plan_show", where="--format")
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
    c.print(f"{t('col.id')}: {plan.id}   {t('col.number')}: {escape(plan.number or '—')}   "
            f"{t('col.issuer')}: {escape(plan.issuer)}   {t('col.issued_on')}: {plan.issued_on or '—'}")
    cutoff = {1: t("msg.calendar"), 15: t("msg.nd09")}.get(plan.cutoff_day) or t("msg.cutoff_day", day=plan.cutoff_day, last=plan.cutoff_day - 1)
    c.print(f"{t('col.start')}: {plan.start}   {t('col.end')}: {plan.end}   {t('col.cutoff')}: {cutoff}")
    for d in plan.implements:
        c.print(f"  {t('col.implements')}: {escape(d)}")
    if plan.phases:
        table([{"name": p.name, "start": p.start or plan.start, "end": p.end} for p in plan.phases],
              listing="plan.show.phases", title=t("col.phases"))
    if plan.steps:
        table([{"step": s.number, "text": s.text} for s in plan.steps], listing="plan.show.steps",
              title=t("col.steps"))
    table(indicators, listing="plan.show.indicators", title=t("col.indicators"))
    table(tasks, listing="plan.show.tasks", title=t("col.tasks"))
    table(deadlines, listing="plan.show.deadlines", title=t("col.obligations"))


@app.command()
def export(plan_id: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")]) -> None:
    """Its help text is "help.cmd.plan.export" in kh/catalogue.py."""
    from kh import planfile
    from kh.store import plans

    from kh.cli import damaged

    with state.store().read() as conn:
        plan = damaged.each(plan_id, lambda: plans.load(conn, plan_id, where="PLAN"), alone=True)
    typer.echo(damaged.each(plan_id, lambda: planfile.dumps(plan), alone=True), nl=False)
