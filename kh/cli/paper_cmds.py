"""kh report: the papers an office files, straight from the store (docs/reports.md)."""

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import parse_day, parse_period, unit_code
from kh.cli.options import today as _today

FromOpt = Annotated[Optional[str], typer.Option("--from", metavar="BODY",
                                                help="help.opt.from_body")]
ParentOpt = Annotated[Optional[str], typer.Option("--parent", metavar="BODY",
                                                  help="help.opt.parent_body")]


_KINDS = {"Tỉnh", "Thành", "Huyện", "Quận", "Thị", "Xã", "Phường", "Thôn", "Bản", "Tổ"}


def _suffix(path: Optional[Path], want: str, option: str) -> None:
    from kh.errors import KhError

    if path is not None and path.suffix.lower() != want:
        raise KhError("paper.suffix", where=option, want=want, kind=want[1:])


def report(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    period: Annotated[str, typer.Option("--period", metavar="PERIOD", help="help.report.period")],
    out: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.docx", help="help.report.out")],
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", metavar="UNIT", help="help.report.unit")] = None,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="help.report.on")] = None,
    template: Annotated[Optional[Path], typer.Option("--template", metavar="FILE.docx", help="help.report.template")] = None,
    annex: Annotated[Optional[Path], typer.Option("--annex", metavar="FILE.xlsx", help="help.report.annex")] = None,
    sender: FromOpt = None, parent: ParentOpt = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="help.report.charts")] = True,
) -> None:
    """Its help text is "help.cmd.report" in kh/catalogue.py."""
    p = parse_period(period)
    day = parse_day(on, "--on") or _today(None)
    _suffix(out, ".docx", "--output")
    _suffix(annex, ".xlsx", "--annex")
    if template is not None:
        from kh.paper_docx import new_document

        new_document(template)  # refuse a bad template before any work
    drawer = None
    if charts:
        from kh.charts import Drawer

        drawer = Drawer()  # imports matplotlib on the other core while this one reads the store
    try:
        _report(pl_id=plan, p=p, day=day, out=out, unit=unit, template=template, annex=annex, sender=sender,
                parent=parent, drawer=drawer)
    finally:
        if drawer is not None:
            drawer.close()


def _report(*, pl_id, p, day, out, unit, template, annex, sender, parent, drawer) -> None:
    from kh import papers
    from kh.deadlines import obligation_rows, task_rows
    from kh.errors import KhError
    from kh.gap import report as gap_report
    from kh.store import completions
    from kh.store import plans as store_plans
    from kh.store.rollup import StoreSource

    with state.store().read() as conn:
        pl = store_plans.load(conn, pl_id, where="PLAN")
        if not papers.plan_covers(pl, p):
            raise KhError("paper.no_period", where="--period", plan=pl.id, start=pl.start, end=pl.end, period=p)
        source = StoreSource(conn)
        unit = unit_code(conn, unit, plan=pl.id, period=p)
        rows = gap_report([pl], source, day, unit=unit, period=p)
        pngs: Mapping[str, bytes] = {}
        if drawer is not None:
            # Sent as soon as known: the rest is done while they are drawn.
            wanted = _charts(pl, papers.target_lines(rows, pl), _series(pl, p, day, source, unit, rows))
            drawer.send(list(wanted.values()))
            pngs = _Pictures(wanted, drawer)
        done = completions.done(conn, [pl.id])
    tasks = task_rows(pl, done, day)
    obs = obligation_rows(pl, done, day)
    # "trên địa bàn tỉnh Nghệ An": a unit's kind is lower case inside a sentence.
    names = {r["unit_name"][:1].lower() + r["unit_name"][1:] if r["unit_name"].split()[0] in _KINDS else r["unit_name"]
             for r in rows if r.get("unit_name")}
    rep = papers.report(pl, p, day, rows, tasks, obs, issuer=sender, parent=parent,
                        unit_name=names.pop() if len(names) == 1 else None)
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


class _Pictures(Mapping):
    """The charts by ref, waited for when the paper first asks for one: the paper's first pages
    are written while they are drawn."""

    def __init__(self, wanted: dict, drawer):
        self._wanted, self._drawer, self._pngs = wanted, drawer, None

    def _drawn(self) -> dict[str, bytes]:
        if self._pngs is None:
            self._pngs = dict(zip(self._wanted, self._drawer.result()))
        return self._pngs

    def __getitem__(self, ref):
        return self._drawn()[ref]

    def __iter__(self):
        return iter(self._drawn())

    def __len__(self):
        return len(self._drawn())


def _charts(pl, targets, series) -> dict[str, tuple]:
    """The charts to draw, by ref: (points, title, percent) as kh.charts takes them."""
    pct = {i.ref for i in pl.indicators if i.unit == "percent"}
    wanted = {}
    for t in targets:
        pts = series.get(t.ref) or []
        if not any(a is not None for _, a, _ in pts):
            continue  # nothing recorded: the table already says so
        pts = [(label, None if a is None else float(a), None if tg is None else float(tg)) for label, a, tg in pts]
        wanted[t.ref] = (pts, f"{t.ref}: {t.target_text}", t.ref in pct)
    return wanted




assignee_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                           help="help.cmd.assignee")


@assignee_app.command("set-email")
def set_email(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="help.arg.plan")],
    who: Annotated[str, typer.Argument(metavar="WHO", help="help.assignee.who")],
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="help.assignee.email")],
    by: Annotated[Optional[str], typer.Option("--by", metavar="NAME", help="help.assignee.by")] = None,
) -> None:
    """Its help text is "help.cmd.assignee.set-email" in kh/catalogue.py."""
    from kh.cli.listings import match_assignee
    from kh.cli.options import now, who as who_
    from kh.mail import check_email
    from kh.store import emails
    from kh.store import plans as store_plans

    address = check_email(email, "EMAIL")
    with state.store().begin() as conn:
        pl = store_plans.load(conn, plan, where="PLAN")
        name = match_assignee([pl], who)
        old = emails.set_email(conn, pl.id, name, address, by=who_(by, conn), now=now())
    from kh.i18n import t

    typer.echo(f"{name}: {address}" + (t("msg.email_was", old=old) if old and old != address else ""))


def remind(
    out: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="help.remind.out")],
    plan: Annotated[Optional[str], typer.Option("--plan", "-p", metavar="PLAN", help="help.opt.plan")] = None,
    assignee: Annotated[Optional[str], typer.Option("--assignee", "-a", metavar="WHO", help="help.remind.assignee")] = None,
    by_day: Annotated[Optional[str], typer.Option("--by", metavar="DATE", help="help.remind.by")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="help.remind.as_of")] = None,
    sender: FromOpt = None, parent: ParentOpt = None,
    send: Annotated[bool, typer.Option("--send", help="help.remind.send")] = False,
) -> None:
    """Its help text is "help.cmd.remind" in kh/catalogue.py."""
    import re
    from datetime import timedelta

    from kh import papers
    from kh.cli.listings import load_plans, match_assignee
    from kh.deadlines import overdue_list
    from kh.errors import KhError
    from kh.i18n import t
    from kh.paper_docx import letter_docx
    from kh.render import write_text
    from kh.store import completions, emails
    from kh.text import strip_accents

    today = _today(as_of)
    deadline = parse_day(by_day, "--by") or today + timedelta(days=7)
    if deadline < today:
        raise KhError("remind.by_past", where="--by", deadline=deadline, today=today)
    if out.exists() and not out.is_dir():
        raise KhError("remind.out_is_file", where="--output")
    if not out.exists() and not out.parent.is_dir():
        raise KhError("file.no_folder", where="--output", folder=out.parent)
    with state.store().read() as conn:
        plans_ = load_plans(conn, plan)
        sent = completions.sent(conn, [p.id for p in plans_])
        addresses = emails.emails(conn, [p.id for p in plans_])
    who = match_assignee(plans_, assignee)
    late = overdue_list(plans_, sent, today, assignee=who)
    letters = papers.letters(late, plans_, today, deadline, sender=sender, parent=parent)
    mail = []
    for letter in letters:
        to = next((addresses[(p.id, letter.to)] for p in plans_ if (p.id, letter.to) in addresses), None)
        mail.append((letter, to))
    smtp = None
    if send:
        from kh.mail import settings

        missing = [letter.to for letter, to in mail if to is None]
        if missing:
            from kh.i18n import Msg

            raise KhError("remind.no_email", where="--send", who=missing[0],
                          more=Msg("remind.and_more", n=len(missing) - 1) if len(missing) > 1 else "")
        smtp = settings()  # refused before anything is written or sent
    out.mkdir(exist_ok=True)
    messages = []
    for letter, to in mail:
        stem = re.sub(r"[^a-z0-9]+", "-", strip_accents(letter.to).lower()).strip("-") or "co-quan"
        letter_docx(letter, out / f"don-doc-{stem}.docx")
        text = papers.letter_text(letter)
        write_text(out / f"don-doc-{stem}.txt", text)
        messages.append((to, papers.SUBJECT, text))
        if not send:
            typer.echo(t("msg.remind_line", who=letter.to, n=len(letter.lines), to=to or t("msg.remind_no_address")))
    if smtp is not None and messages:
        from kh.mail import send as send_mail

        count = send_mail(smtp, messages)
        typer.echo(t("msg.remind_sent", n=count, sender=smtp.sender, host=smtp.host))
    if not letters:
        typer.echo(t("msg.remind_nothing"))


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(remind)
    app.add_typer(assignee_app, name="assignee")
