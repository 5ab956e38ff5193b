"""kh record, kh record import, kh figures, kh gap: what happened, and how far each target is."""

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
            args = ["guided" if _no_arguments(args) else "one", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter):
        """kh record --help shows the one-figure form first, with its own options: it is what an
        officer types most, and its command has no name to ask for help with."""
        super().format_help(ctx, formatter)
        one = self.commands["one"]  # its help texts are in the language already (kh.cli, _translate_help)
        sub = one.make_context("", ["--help"], parent=ctx, resilient_parsing=True)
        formatter.write_paragraph()
        formatter.write_text(t("help.record.one_form"))
        one.format_usage(sub, formatter)
        one.format_options(sub, formatter)

    def resolve_command(self, ctx, args):
        name, cmd, rest = super().resolve_command(ctx, args)
        # The default command has no name of its own: its usage reads "kh record PLAN REF …".
        return ("", cmd, rest) if name == "one" else (name, cmd, rest)


# Options that take a value: what follows them is theirs, not PLAN, REF or VALUE.
_VALUED = {"--unit", "-u", "--period", "--of", "--note", "--by", "--reason", "--as-of", "--plan", "-p"}


def _no_arguments(args: list[str]) -> bool:
    """Only options (``kh record --unit U --period P``): guided entry. A negative number (-5) is
    a VALUE, as ``kh record`` takes it."""
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and not a[1:2].isdigit():
            i += 2 if a in _VALUED else 1
            continue
        return False
    return True


record_app = typer.Typer(rich_markup_mode=None, cls=_RecordGroup, no_args_is_help=True)

ReplaceOpt = Annotated[bool, typer.Option("--replace", help="help.opt.replace")]

FIGURE_COLUMNS = ["plan", "ref", "unit", "period", "period_start", "period_end", "value", "denominator",
                  "note", "recorded_at", "recorded_by"]
HISTORY_COLUMNS = FIGURE_COLUMNS + ["replaced_at", "replaced_by"]


def save_figures(figs, replace: bool, by: Optional[str], as_of: Optional[str], reason: Optional[str],
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
    note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="help.record.one.note")] = None,
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
    save_figures([fig], replace, by, as_of, reason)


@record_app.command("guided", hidden=True)
def record_guided(
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="UNIT", help="help.record.guided.unit")] = None,
    period: Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="help.todo.period")] = None,
    plan: PlanOpt = None, by: ByOpt = None, as_of: AsOfOpt = None,
) -> None:
    """Its help text is "help.cmd.record.guided" in kh/catalogue.py."""
    from kh.cli import guided

    guided.run(unit, period, plan, as_of, by)


@record_app.command("import")
def record_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="help.record.import.file")],
    by: ByOpt = None, replace: ReplaceOpt = False, reason: ReasonOpt = None, as_of: AsOfOpt = None,
) -> None:
    """Its help text is "help.cmd.record.import" in kh/catalogue.py."""
    import gc

    # An import makes a few objects per row, all alive until it ends: the cycle collector would
    # walk them over and over as they pile up (a fifth of a 200,000-figure import) to find no
    # garbage. It is off while this command runs, on again after it (tests run kh in-process).
    was_on = gc.isenabled()
    gc.disable()
    try:
        _record_import(file, by, replace, reason, as_of)
    finally:
        if was_on:
            gc.enable()


def _record_import(file: Path, by, replace: bool, reason, as_of) -> None:
    from kh.figures import read_csv, read_xlsx
    from kh.text import decode_csv

    ignored: list[str] = []
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        save_figures(read_xlsx(file, str(file), ignored), replace, by, as_of, reason, source=file.name)
        _say_ignored(file, ignored)
        return

    try:
        raw = file.read_bytes()
    except OSError as e:
        from kh.errors import KhError

        raise KhError("file.cannot_read", where=str(file), reason=e.strerror) from None
    figs = read_csv(decode_csv(raw, str(file)), str(file), ignored)
    save_figures(figs, replace, by, as_of, reason, source=file.name)
    _say_ignored(file, ignored)


def _say_ignored(file: Path, ignored: list[str]) -> None:
    """kh figures' own output read back: say once what was left out (after the import, so that
    a refusal stays one line)."""
    if ignored:
        typer.echo("kh: " + t("msg.import_ignored", file=str(file), columns=", ".join(ignored)), err=True)


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

    p = parse_period(period)
    period = str(p) if p else None  # "3/2025" is stored as 2025-03
    with state.store().read() as conn:
        unit = unit_code(conn, unit, plan=plan, period=period, day=today(None))
        rows = figure_rows.listing(conn, plan=plan, ref=ref, unit=unit, period=period, history=history)
    render(rows, HISTORY_COLUMNS if history else FIGURE_COLUMNS, fmt.value, bom=bom, out=out,
           listing="figures.history" if history else "figures")


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
    explain(rows)
    if fmt is Format.table:
        shape_for_table(rows, plans)
        render(rows, COLUMNS + ["reason_text"], "table", out=out, listing="gap",
               omit=() if len(plans) > 1 else ("plan",))
    else:
        render(rows, COLUMNS + ["reason_text"], fmt.value, bom=bom, out=out, percent=_percent(plans))


def _cell(v) -> str:
    """A number as the table shows it: 1.5 (a figure with decimals), 4.99, 12."""
    from decimal import Decimal

    from kh.render import plain
    from kh.text import figure_text

    v = plain(v)
    return figure_text(v) if isinstance(v, Decimal) else str(v)


def _per_unit_row(r: dict, plans) -> bool:
    """A row that counts the units meeting a per-unit target (its denominator is units)."""
    ind = next(i for p in plans if p.id == r["plan"] for i in p.indicators if i.ref == r["ref"])
    return bool(ind.per_unit) and r.get("units_expected") == r.get("denominator")


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
    render(rows, store_history.COLUMNS, fmt.value, bom=bom, out=out, labels={"what": t("col.changed")},
           listing="history")


def register(app: typer.Typer) -> None:
    app.command()(history)
    app.add_typer(record_app, name="record")
    app.command()(figures)
    app.command()(gap)


def explain(rows: list[dict]) -> None:
    """Why a row has no verdict, in the active language (csv/json: reason_text)."""
    from kh.gap import REASONS

    for r in rows:
        r["reason_text"] = t(REASONS[r["reason"]], **r["reason_params"]) if r.get("reason") else None


def shape_for_table(rows: list[dict], plans) -> None:
    """The gap table's cells, as kh gap and kh demo show them: the actual in words, a target
    the plan did not set as such, a share as 39/100 and reported/expected units."""
    from kh.i18n import value as word
    from kh.render import plain

    for r in rows:
        r["actual_text"] = actual_text(r, plans)
        if r.get("target_basis") not in (None, "plan"):  # a target the plan did not set as such
            r["target_text"] += f" [{word('target_basis', r['target_basis'])}: {plain(r['target'])}]"
        if r.get("carry_forward"):
            r["target_text"] += " [" + t("msg.carried_forward") + "]"
        if r["kind"] in ("share", "milestones") and r.get("denominator") is not None and r["value"] is not None \
                and not _per_unit_row(r, plans):  # a share shows what it is out of: 39/100
            r["value"] = f"{_cell(r['value'])}/{_cell(r['denominator'])}"
        exp, rep = r.get("units_expected"), r.get("units_reported")
        if exp is not None and rep != exp:  # reported/expected, only where some unit is silent
            r["value"] = f"{'—' if r['value'] is None else _cell(r['value'])} ({rep}/{exp})"
