"""kh report: the papers an office files, straight from the store (docs/reports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import parse_day, parse_period
from kh.cli.options import today as _today

FromOpt = Annotated[Optional[str], typer.Option("--from", metavar="BODY",
                                                help="The issuing body (default: the plan's issuer), e.g. \"Công an tỉnh Nghệ An\".")]
ParentOpt = Annotated[Optional[str], typer.Option("--parent", metavar="BODY",
                                                  help="The body above the issuer, printed over it (UBND TỈNH NGHỆ AN).")]


_KINDS = {"Tỉnh", "Thành", "Huyện", "Quận", "Thị", "Xã", "Phường", "Thôn", "Bản", "Tổ"}


def _suffix(path: Optional[Path], want: str, option: str) -> None:
    from kh.errors import KhError

    if path is not None and path.suffix.lower() != want:
        raise KhError(f"name the file …{want}: it is written as a {want[1:]} file", where=option)


def report(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="The plan's id.")],
    period: Annotated[str, typer.Option("--period", metavar="PERIOD", help="The period reported on: 2021, 2021-H1, 2021-Q2, 2021-06.")],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.docx", help="The Word file to write.")],
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="CODE", help="Report on this unit's tree (default: the plan's area).")] = None,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The report's date, and the day its facts are taken on (default: today).")] = None,
    template: Annotated[Optional[Path], typer.Option("--template", metavar="FILE.docx", help="Your own letterhead: a .docx with one paragraph reading {{noi_dung}} where the report goes.")] = None,
    annex: Annotated[Optional[Path], typer.Option("--annex", metavar="FILE.xlsx", help="Also write the annex (phụ lục) as a workbook.")] = None,
    sender: FromOpt = None, parent: ParentOpt = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="A progress chart per target with figures (default: on).")] = True,
) -> None:
    """The results report (Báo cáo kết quả thực hiện Kế hoạch) as Word, per Nghị định 30/2020.

    The clerk writes only the prose marked [ … ] and signs. Example:
    kh report na-2021 --period 2021-H1 --on 10/6/2021 -o bao-cao.docx --annex phu-luc.xlsx
    """
    from kh import papers
    from kh.deadlines import obligation_rows, task_rows
    from kh.errors import KhError, NotFound
    from kh.gap import report as gap_report
    from kh.store import completions
    from kh.store import plans as store_plans
    from kh.store.rollup import StoreSource

    p = parse_period(period)
    day = parse_day(on, "--on") or _today(None)
    _suffix(out, ".docx", "--output")
    _suffix(annex, ".xlsx", "--annex")
    if template is not None:
        from kh.paper_docx import new_document

        new_document(template)  # refuse a bad template before any work
    with state.store().read() as conn:
        pl = store_plans.load(conn, plan, where="PLAN")
        if not papers.plan_covers(pl, p):
            raise KhError(f"plan {pl.id} runs from {pl.start} to {pl.end}; it has no period {p}", where="--period")
        source = StoreSource(conn)
        if unit and source.version(unit, day) is None:
            raise NotFound(f"no unit with code {unit!r} (kh unit list)", where="--unit")
        rows = gap_report([pl], source, day, unit=unit, period=p)
        done = completions.done(conn, [pl.id])
        series: dict[str, list] = {}
        if charts:
            series = _series(pl, p, day, source, unit, rows)
    tasks = task_rows(pl, done, day)
    obs = obligation_rows(pl, done, day)
    # "trên địa bàn tỉnh Nghệ An": a unit's kind is lower case inside a sentence.
    names = {r["unit_name"][:1].lower() + r["unit_name"][1:] if r["unit_name"].split()[0] in _KINDS else r["unit_name"]
             for r in rows if r.get("unit_name")}
    rep = papers.report(pl, p, day, rows, tasks, obs, issuer=sender, parent=parent,
                        unit_name=names.pop() if len(names) == 1 else None)
    pngs = _charts(rep, series) if charts else {}
    from kh.paper_docx import report_docx

    report_docx(rep, out, charts=pngs, template=template)
    if annex is not None:
        from kh.render import annex_xlsx

        annex_xlsx(rep, annex, charts=pngs)
    typer.echo(f"{out}" + (f", {annex}" if annex else ""))


def _series(pl, p, day, source, unit, rows) -> dict[str, list]:
    """Each indicator's (label, actual, target) at the chart's points that have begun by ``day``."""
    from kh.gap import report as gap_report
    from kh.periods import bounds, period_name

    out: dict[str, list] = {}
    from kh.papers import series_periods

    for sub in series_periods(pl, p):
        if bounds(sub, pl.cutoff_day)[0] > day:
            continue
        sub_rows = rows if sub == p else gap_report([pl], source, day, unit=unit, period=sub)
        label = period_name(sub).replace("năm ", "") if sub.kind == "year" else period_name(sub)
        for r in sub_rows:
            out.setdefault(r["ref"], []).append((label, r.get("actual"), r.get("target")))
    return out


def _charts(rep, series) -> dict[str, bytes]:
    from kh.charts import progress_png

    pct = {i.ref for i in rep.plan.indicators if i.unit == "percent"}
    out = {}
    for t in rep.targets:
        pts = series.get(t.ref) or []
        if not any(a is not None for _, a, _ in pts):
            continue  # nothing recorded: the table already says so
        pts = [(label, None if a is None else float(a), None if tg is None else float(tg)) for label, a, tg in pts]
        out[t.ref] = progress_png(pts, title=f"{t.ref}: {t.target_text}", percent=t.ref in pct)
    return out


def register(app: typer.Typer) -> None:
    app.command()(report)
