"""kh demo: a throwaway store with the five seed plans and the country's units."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.i18n import t


class Scale(str, Enum):
    seed = "seed"
    province = "province"
    national = "national"


def demo(
    into: Annotated[Optional[str], typer.Option("--into", metavar="TARGET", help="help.demo.into")] = None,
    scale: Annotated[Scale, typer.Option("--scale", help="help.demo.scale")] = Scale.seed,
) -> None:
    """Its help text is "help.cmd.demo" in kh/catalogue.py."""
    import tempfile

    from kh.demo import AS_OF, build
    from kh.errors import KhError

    from kh.location import is_url

    if into is None:
        into = str(Path(tempfile.mkdtemp(prefix="kh-demo-")) / "demo.sqlite")
    elif is_url(into):
        from kh.store.db import is_empty

        if not is_empty(into):
            raise KhError("demo.database_not_empty", where="--into", target=into.split('@')[-1])
    elif Path(into).expanduser().exists():
        raise KhError("demo.exists", where="--into", path=into)
    if scale is not Scale.seed:
        _synthetic(into, scale.value)
        return
    summary = build(str(into))
    from kh.location import display

    typer.echo(t("msg.demo_built", path=display(into), units=summary["units"], plans=len(summary["plans"]),
                 figures=summary["figures"], submissions=summary["submissions"]))
    _show(str(into))
    typer.echo(t("msg.demo_explore", path=display(into), as_of=AS_OF))


def _synthetic(into: str, scale: str) -> None:
    from kh import synthetic

    def progress(n: int) -> None:
        typer.echo("\r  " + t("msg.n_figures", n=f"{n:,}"), nl=False, err=True)

    summary = synthetic.build(into, scale, progress=progress)
    typer.echo("", err=True)
    from kh.location import display

    typer.echo(t("msg.synthetic_built", path=display(into), **summary))
    typer.echo(t("msg.synthetic_try", path=display(into), as_of=synthetic.AS_OF))


def _show(target: str) -> None:
    from kh.cli import state
    from kh.cli.figure_cmds import explain, shape_for_table
    from kh.cli.plan_cmds import list_
    from kh.demo import AS_OF
    from kh.cli.options import Format, OverdueFormat
    from kh.demo import SHOWN
    from kh.gap import report
    from kh.render import table
    from kh.store import plans as store_plans
    from kh.store.rollup import StoreSource

    state.db = target
    list_(Format.table, False)
    with state.store().read() as conn:
        for plan_id, refs in SHOWN.items():
            plan = store_plans.load(conn, plan_id)
            rows = [r for r in report([plan], StoreSource(conn), AS_OF) if r["ref"] in refs]
            explain(rows)
            shape_for_table(rows, [plan])
            table(rows, listing="gap", omit=("plan",), title=t("msg.demo_gap", plan=plan_id, as_of=AS_OF))
    from kh.cli.listings import Only, overdue

    overdue(plan="ls-mtqg-2030", assignee=None, as_of=AS_OF.isoformat(), fail_if_any=False, fmt=OverdueFormat.table,
            bom=False, sender=None, out=None, only=Only.reports)


def register(app: typer.Typer) -> None:
    app.command()(demo)
