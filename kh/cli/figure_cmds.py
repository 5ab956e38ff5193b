"""kh record, kh record import, kh figures, kh gap: what happened, and how far each target is."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from kh.cli import state
from kh.cli.options import (ForceOpt, AsOfOpt, OutOpt, BomOpt, ByOpt, Format, FormatOpt, PlanOpt, ReasonOpt, now, parse_day,
                            parse_period, render, today, unit_code, who)
from kh.i18n import t


class _RecordGroup(TyperGroup):
    """`kh record PLAN REF VALUE …` records one figure; `kh record import FILE` many."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["one", *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args):
        name, cmd, rest = super().resolve_command(ctx, args)
        # The default command has no name of its own: its usage reads "kh record PLAN REF …".
        return ("", cmd, rest) if name == "one" else (name, cmd, rest)


record_app = typer.Typer(rich_markup_mode=None, cls=_RecordGroup, no_args_is_help=True)

ReplaceOpt = Annotated[bool, typer.Option("--replace", help="help.opt.replace")]

FIGURE_COLUMNS = ["plan", "ref", "unit", "period", "period_start", "period_end", "value", "denominator",
                  "note", "recorded_at", "recorded_by"]
HISTORY_COLUMNS = FIGURE_COLUMNS + ["replaced_at", "replaced_by"]


def _save(figs, replace: bool, by: Optional[str], as_of: Optional[str], reason: Optional[str],
          source: Optional[str] = None) -> None:
    from kh.store import figure_rows

    with state.store().begin() as conn:
        added, replaced = figure_rows.record(
            conn, figs, replace=replace, by=who(by, conn), as_of=today(as_of), now=now(), reason=reason,
            source=source)
    typer.echo(t("msg.figures_recorded", added=added, replaced=replaced))


# A negative VALUE (-5) is not an option: let it through to kh's own check, which says why a
# count cannot be negative (an unknown --option still fails, as an unexpected argument).
@record_app.command("one", hidden=True, context_settings={"ignore_unknown_options": True})
def record_one(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    ref: Annotated[str, typer.Argument(metavar="REF", help="help.record.one.ref")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="help.record.one.value")],
    unit: Annotated[str, typer.Option("--unit", "-u", metavar="UNIT", help="help.record.one.unit")],
    period: Annotated[str, typer.Option("--period", metavar="PERIOD", help="help.record.one.period")],
    of: Annotated[Optional[str], typer.Option("--of", metavar="DENOMINATOR", help="help.record.one.of")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="help.record.one.note")] = None,
    by: ByOpt = None, replace: ReplaceOpt = False, reason: ReasonOpt = None, as_of: AsOfOpt = None,
) -> None:
    """Its help text is "help.cmd.record.one" in kh/catalogue.py."""
    from kh.figures import parse_row

    with state.store().read() as conn:  # a name ('Xã Cao Lộc') → its code, within the plan's area
        unit = unit_code(conn, unit, plan=plan, period=period)
    fig = parse_row(dict(plan=plan, ref=ref, unit=unit, period=period, value=value,
                         denominator=of or "", note=note or ""), "",
                    names=dict(plan="PLAN", ref="REF", unit="--unit", period="--period", value="VALUE",
                               denominator="--of"))
    _save([fig], replace, by, as_of, reason)


@record_app.command("import")
def record_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="help.record.import.file")],
    by: ByOpt = None, replace: ReplaceOpt = False, reason: ReasonOpt = None, as_of: AsOfOpt = None,
) -> None:
    """Its help text is "help.cmd.record.import" in kh/catalogue.py."""
    from kh.figures import read_csv, read_xlsx
    from kh.text import decode_csv

    if file.suffix.lower() in (".xlsx", ".xlsm"):
        _save(read_xlsx(file, str(file)), replace, by, as_of, reason, source=file.name)
        return

    try:
        raw = file.read_bytes()
    except OSError as e:
        from kh.errors import KhError

        raise KhError("file.cannot_read", where=str(file), reason=e.strerror) from None
    _save(read_csv(decode_csv(raw, str(file)), str(file)), replace, by, as_of, reason, source=file.name)


def figures(
    plan: PlanOpt = None,
    ref: Annotated[Optional[str], typer.Option("--ref", metavar="REF", help="help.opt.ref")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="UNIT", help="help.figures.unit")] = None,
    period: Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="help.figures.period")] = None,
    history: Annotated[bool, typer.Option("--history", help="help.figures.history")] = False,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.figures" in kh/catalogue.py."""
    from kh.store import figure_rows

    parse_period(period)
    with state.store().read() as conn:
        unit = unit_code(conn, unit, plan=plan, period=period, day=today(None))
        rows = figure_rows.listing(conn, plan=plan, ref=ref, unit=unit, period=period, history=history)
    render(rows, HISTORY_COLUMNS if history else FIGURE_COLUMNS, fmt.value, bom=bom, out=out)


def gap(
    plan: PlanOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="UNIT", help="help.gap.unit")] = None,
    period: Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="help.gap.period")] = None,
    ref: Annotated[Optional[str], typer.Option("--ref", metavar="REF", help="help.opt.ref")] = None,
    as_of: AsOfOpt = None,
    known_at: Annotated[Optional[str], typer.Option("--known-at", metavar="DATE", help="help.gap.known_at")] = None,
    accepted_only: Annotated[bool, typer.Option("--accepted-only", help="help.gap.accepted_only")] = False,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.gap" in kh/catalogue.py."""
    from kh.errors import NotFound
    from kh.gap import COLUMNS, report
    from kh.store import plans as store_plans
    from kh.store.rollup import StoreSource

    day = today(as_of)
    p = parse_period(period)
    with state.store().read() as conn:
        ids = [plan] if plan else [r["id"] for r in store_plans.list_plans(conn)]
        from kh.cli import damaged

        plans = [pl for pl in (damaged.each(i, lambda: store_plans.load(conn, i, targets_only=True),
                                            alone=plan is not None) for i in ids) if pl is not None]
        source = StoreSource(conn, _end_of_day_utc(parse_day(known_at, "--known-at")) if known_at else None,
                             accepted_only=accepted_only)
        unit = unit_code(conn, unit, plan=plan, period=p, day=day)
        if ref and not any(i.ref == ref for pl in plans for i in pl.indicators):
            from kh.suggest import did_you_mean

            refs = [i.ref for pl in plans for i in pl.indicators]
            raise NotFound("indicator.not_found", where="--ref", ref=ref, suggest=did_you_mean(ref, refs))
        # Plan by plan, so that one plan's damaged rows leave the others' gaps printed.
        per_plan = {pl.id: damaged.each(pl.id, lambda: report([pl], source, day, unit=unit, period=p, ref=ref),
                                        alone=plan is not None) for pl in plans}
        plans = [pl for pl in plans if per_plan[pl.id] is not None]
        rows = [r for pl in plans for r in per_plan[pl.id]]
    if fmt is Format.table:
        from kh.i18n import value as word
        from kh.render import plain

        cols = ["ref", "unit_name", "period", "target_text", "value", "actual_text", "needed", "status"]
        if len(plans) > 1:
            cols.insert(0, "plan")
        for r in rows:
            r["actual_text"] = actual_text(r, plans)
            if r.get("target_basis") not in (None, "plan"):  # a target the plan did not set as such
                r["target_text"] += f" [{word('target_basis', r['target_basis'])}: {plain(r['target'])}]"
            if r.get("carry_forward"):
                r["target_text"] += " [" + t("msg.carried_forward") + "]"
            exp, rep = r.get("units_expected"), r.get("units_reported")
            if exp is not None and rep != exp:  # reported/expected, only where some unit is silent
                r["value"] = f"{'—' if r['value'] is None else plain(r['value'])} ({rep}/{exp})"
        render(rows, cols, "table", out=out)
    else:
        render(rows, COLUMNS, fmt.value, bom=bom, out=out, percent=_percent(plans))


def _percent(plans):
    """For a workbook: which gap cells are percentages (target, actual, gap of a percent target)."""
    pct = {(p.id, i.ref) for p in plans for i in p.indicators if i.unit == "percent"}
    return lambda r, c: c in ("target", "actual", "gap") and (r["plan"], r["ref"]) in pct


def _end_of_day_utc(day):
    """The instant a Vietnam day ends (UTC+7), as the store keeps recorded_at (UTC, naive)."""
    from datetime import datetime, timedelta

    return datetime(day.year, day.month, day.day) + timedelta(days=1) - timedelta(hours=7)


def actual_text(r: dict, plans) -> str:
    """For people: "4.99 %", "12 / 40", "—"."""
    from kh.render import plain

    if r.get("actual") is None:
        return "—"
    ind = next(i for p in plans if p.id == r["plan"] for i in p.indicators if i.ref == r["ref"])
    if ind.per_unit and r.get("denominator") is not None and r["kind"] != "share":
        return f"{plain(r['value'])} / {plain(r['denominator'])}"
    return f"{plain(r['actual'])} %" if ind.unit == "percent" else str(plain(r["actual"]))


class What(str, Enum):
    figure = "figure"
    submission = "submission"
    task = "task"
    plan = "plan"
    bundle = "bundle"
    key = "key"
    acceptance = "acceptance"


def history(
    plan: PlanOpt = None,
    what: Annotated[Optional[What], typer.Option("--what", help="help.history.what")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="help.history.since")] = None,
    fmt: FormatOpt = Format.table, bom: BomOpt = False, out: OutOpt = None, force: ForceOpt = False,
) -> None:
    """Its help text is "help.cmd.history" in kh/catalogue.py."""
    from kh.store import history as store_history

    with state.store().read() as conn:
        if plan:
            from kh.store import plans as store_plans

            store_plans.require(conn, plan)
        rows = store_history.listing(conn, plan=plan, what=what.value if what else None,
                                     since=parse_day(since, "--since"))
    if fmt is Format.table:
        for r in rows:  # a plan's old and new text are long: the table shows their size
            for k in ("old", "new"):
                if r[k] and "\n" in r[k]:
                    r[k] = f"({len(r[k].splitlines())} lines)"
    render(rows, store_history.COLUMNS, fmt.value, bom=bom, out=out, labels={"what": t("col.changed")})


def register(app: typer.Typer) -> None:
    app.command()(history)
    app.add_typer(record_app, name="record")
    app.command()(figures)
    app.command()(gap)
