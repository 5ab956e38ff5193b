"""Guided entry: ``kh record --unit U --period P`` with no PLAN/REF asks, one prompt each, for the
figures ``kh todo`` lists as missing, and writes all the answers at the end in one transaction.

It asks only at a terminal: with stdin not a terminal it refuses (a script has ``kh record
import``, which checks a whole file the same way). Ctrl-C or Ctrl-D stops it with nothing written.
"""

import sys
from typing import Optional

import typer

from kh.cli import state
from kh.cli.options import today
from kh.i18n import t


def _ask(prompt: str) -> str:
    """One line from the officer (the terminal edits it); EOFError on Ctrl-D."""
    return input(prompt).strip()


def run(unit: Optional[str], period: Optional[str], plan: Optional[str], as_of: Optional[str],
        by: Optional[str]) -> None:
    from kh.cli.todo_cmds import gather, units_to_show
    from kh.errors import KhError

    if not sys.stdin.isatty():
        raise KhError("guided.needs_terminal", where="kh record")
    day = today(as_of)
    with state.store().read() as conn:
        units = units_to_show(conn, [unit] if unit else None, plan=plan, period=period, day=day)
        if len(units) > 1:
            raise KhError("guided.one_unit", where="--unit", units=", ".join(units))
        g = gather(conn, units[0], period, day, plan=plan, owed=False)
    _heading(g, day)
    missing = [r for r in g["figures"] if r["status"] == "missing"]
    if not missing:
        typer.echo(t("msg.guided_nothing"))
        return
    typer.echo(t("msg.guided_intro", n=len(missing)))
    try:
        answers = _questions(g, missing, day)
    except KeyboardInterrupt:
        typer.echo("", err=False)
        typer.echo("kh: " + t("msg.guided_stopped"), err=True)
        raise typer.Exit(130) from None
    except EOFError:
        typer.echo("", err=False)
        typer.echo("kh: " + t("msg.guided_stopped"), err=True)
        raise typer.Exit(1) from None
    if not answers:
        typer.echo(t("msg.guided_none_given"))
        return
    from kh.render import render

    typer.echo("")
    render([dict(item=f.ref, name=name, value_text=text) for f, name, text in answers],
           ["item", "name", "value_text"], "table",
           title=t("msg.guided_summary", n=len(answers), unit=g["unit"]["code"], period=str(g["period"])),
           labels={"value_text": t("col.value")})
    try:
        yes = _confirm(t("msg.guided_confirm", n=len(answers)))
    except (KeyboardInterrupt, EOFError):
        yes = False
        typer.echo("")
    if not yes:
        typer.echo("kh: " + t("msg.guided_stopped"), err=True)
        raise typer.Exit(1)
    from kh.cli.figure_cmds import save_figures

    save_figures([f for f, _, _ in answers], False, by, as_of, None)


def _heading(g: dict, day) -> None:
    from kh.i18n import lang
    from kh.periods import period_name

    u, p = g["unit"], g["period"]
    typer.echo(t("msg.todo_heading", unit=u["code"], name=u["name"], period=period_name(p, lang()), label=str(p),
                 as_of=day.isoformat()))
    if not g["given"]:
        typer.echo(t("msg.todo_default_period"))


def _questions(g: dict, missing: list[dict], day) -> list[tuple]:
    """Each missing figure in turn; an answer is re-asked, with the one-line reason, until
    ``kh record`` would take it, or skipped with Enter."""
    from kh.errors import KhError
    from kh.i18n import lang
    from kh.periods import period_name
    from kh.render import plain
    from kh.todo import parse_answer

    plans = {p.id: p for p in g["plans"]}
    several = len({r["plan"] for r in missing}) > 1
    answers = []
    for n, r in enumerate(missing, 1):
        plan = plans[r["plan"]]
        ind = next(i for i in plan.indicators if i.ref == r["item"])
        typer.echo("")
        typer.echo(f"[{n}/{len(missing)}] " + (f"{plan.id} " if several else "") + f"{r['item']} — {r['name']}")
        typer.echo("    " + t("msg.guided_target", target=r["target"]))
        if r["last_period"]:
            last = str(plain(r["last_value"])) + (f"/{plain(r['last_denominator'])}" if r["last_denominator"] is not None
                                                  else "")
            typer.echo("    " + t("msg.guided_last", value=last, period=period_name(r["last_period"], lang())))
        else:
            typer.echo("    " + t("msg.guided_no_last"))
        while True:
            if r["share"]:
                value = _ask("    " + t("msg.guided_numerator"))
                if not value:
                    break
                den = _ask("    " + t("msg.guided_denominator"))
            else:
                value, den = _ask("    " + t("msg.guided_value", counts=ind.counts)), None
                if not value:
                    break
            try:
                fig = parse_answer(plan, ind, g["unit"]["code"], g["period"], value, den, day)
            except KhError as e:
                typer.echo("    " + t("msg.guided_again", reason=e.message))
                continue
            text = f"{plain(fig.value)}/{plain(fig.denominator)}" if fig.denominator is not None else str(plain(fig.value))
            answers.append((fig, r["name"], text))
            break
    return answers


def _confirm(prompt: str) -> bool:
    """Enter or yes/có writes; no/không does not; anything else is asked again."""
    from kh.text import fold

    while True:
        a = fold(_ask(prompt))
        if a in ("", "y", "yes", "c", "có", "co"):
            return True
        if a in ("n", "no", "k", "không", "khong"):
            return False
