"""kh accept | return | reopen: a clerk receives a unit's report for a period, accepts it (its
figures locked), sends it back with a reason, or reopens it (docs/exchange.md, "Accepting")."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kh import i18n
from kh.cli import state
from kh.cli.options import ByOpt, now, who
from kh.i18n import t

PlanArg = Annotated[str, typer.Argument(metavar="PLAN", help="The plan's id.")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="CODE", help="The unit whose report it is (and every unit in it).")]
PeriodOpt = Annotated[str, typer.Option("--period", metavar="PERIOD", help="The period of the report: 2025, 2025-H1, 2025-Q2, 2025-06.")]


def _reason(reason: Optional[str], needed: bool, command: str) -> Optional[str]:
    from kh.errors import KhError
    from kh.text import nfc

    if reason and reason.strip():
        return nfc(reason.strip())
    if needed:
        raise KhError(f"kh {command} needs --reason: the unit and the history must say why", where="--reason")
    return None


def accept(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
           reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="A remark, kept in kh history.")] = None,
           by: ByOpt = None) -> None:
    """Accept a unit's report for a period (đã tiếp nhận / phê duyệt): from now on its figures,
    and those of every unit in it, cannot be recorded, replaced or imported until kh reopen.

    A district (before 1/7/2025) accepts its communes; the province accepts the district, which
    covers everything under it. Example: kh accept lc-2025 --unit 06211 --period 2025
    """
    from kh.store import acceptance_rows

    with state.store().begin() as conn:
        new = acceptance_rows.accept(conn, plan=plan, unit=unit, period=period, by=who(by, conn), now=now(),
                                     reason=_reason(reason, False, "accept"))
    typer.echo(t("accepted" if new else "accepted_already", plan=plan, unit=unit, period=period))


def return_(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
            reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="Why it goes back: the unit sees it in kh deadlines.")] = None,
            by: ByOpt = None) -> None:
    """Send a unit's report back with the reason; the unit sees it in kh deadlines.

    Example: kh return lc-2025 --unit 06211 --period 2025 --reason "thiếu số liệu quý IV"
    """
    from kh.store import acceptance_rows

    text = _reason(reason, True, "return")
    with state.store().begin() as conn:
        acceptance_rows.give_back(conn, plan=plan, unit=unit, period=period, by=who(by, conn), now=now(), reason=text)
    typer.echo(t("returned", plan=plan, unit=unit, period=period))


def reopen(plan: PlanArg, unit: UnitOpt, period: PeriodOpt,
           reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="Why it is reopened (required), kept in kh history.")] = None,
           by: ByOpt = None) -> None:
    """Reopen an accepted report: its figures may change again (an acceptance above it still holds).

    Example: kh reopen lc-2025 --unit 06211 --period 2025 --reason "xã phát hiện sai sót"
    """
    from kh.store import acceptance_rows

    text = _reason(reason, True, "reopen")
    with state.store().begin() as conn:
        acceptance_rows.reopen(conn, plan=plan, unit=unit, period=period, by=who(by, conn), now=now(), reason=text)
    typer.echo(t("reopened", plan=plan, unit=unit, period=period))


def show_returned(plan: Optional[str], assignee: Optional[str]) -> None:
    """Reports sent back to their unit, one line each on stderr: below kh deadlines, where the
    unit looks, without changing its columns."""
    from kh.store import acceptance_rows
    from kh.store import plans as store_plans
    from kh.store.bundle_rows import unit_assignees, unit_names

    with state.store().read() as conn:
        ids = [plan] if plan else [r["id"] for r in store_plans.list_plans(conn)]
        rows = acceptance_rows.returned(conn, ids)
        if not rows:
            return
        plans = {i: store_plans.load(conn, i) for i in {r["plan_id"] for r in rows}}
        names = {r["unit"]: unit_names(conn, r["unit"]) for r in rows}
    for r in rows:
        owners = unit_assignees([plans[r["plan_id"]]], names[r["unit"]])
        if assignee:
            from kh.text import fold

            if not any(fold(assignee) in fold(o) for o in owners):
                continue
        typer.echo(t("returned_note", plan=r["plan_id"], unit=r["unit"], name=(names[r["unit"]] or [""])[-1],
                     period=r["period"], at=f"{r['at']:%Y-%m-%d}", by=r["by"], reason=r["reason"]), err=True)


def register(app: typer.Typer) -> None:
    app.command("accept")(accept)
    app.command("return")(return_)
    app.command("reopen")(reopen)


i18n.WORDS.update({
    "accepted": ("Accepted: the report of {unit} for {period} in {plan}; its figures are locked until kh reopen",
                 "Đã tiếp nhận: báo cáo của {unit} kỳ {period} ({plan}); số liệu bị khóa cho đến khi kh reopen"),
    "accepted_already": ("The report of {unit} for {period} in {plan} was accepted already; nothing changed",
                         "Báo cáo của {unit} kỳ {period} ({plan}) đã được tiếp nhận trước đó; không thay đổi"),
    "returned": ("Returned: the report of {unit} for {period} in {plan}, with the reason",
                 "Đã trả lại: báo cáo của {unit} kỳ {period} ({plan}), kèm lý do"),
    "reopened": ("Reopened: the report of {unit} for {period} in {plan}", "Đã mở lại: báo cáo của {unit} kỳ {period} ({plan})"),
    "returned_note": ("Returned on {at} by {by}: the report of {unit} ({name}) for {period} in {plan}: {reason}",
                      "Bị trả lại ngày {at} (người trả: {by}): báo cáo của {unit} ({name}) kỳ {period} ({plan}): {reason}"),
})
i18n.add_errors([
    (r"kh (return|reopen) needs --reason: the unit and the history must say why",
     r"kh \1 cần --reason: đơn vị và lịch sử thay đổi phải ghi rõ lý do"),
    (r"the report of (\S+) for (\S+) was accepted on (\S+) by (.+); reopen it first \(kh reopen (.+)\)",
     r"báo cáo của \1 kỳ \2 đã được tiếp nhận ngày \3 (người tiếp nhận: \4); hãy mở lại trước (kh reopen \5)"),
    (r"the report of (\S+) for (\S+) is not accepted; nothing to reopen",
     r"báo cáo của \1 kỳ \2 chưa được tiếp nhận; không có gì để mở lại"),
    (r"(\S+) (\S+) for (\S+) in (\S+) is locked: the report of (\S+) for (\S+) was accepted on (\S+) by (.+); "
     r"a clerk must reopen it first \(kh reopen (.+)\)",
     r"\1 \2 của đơn vị \3 kỳ \4 đã bị khóa: báo cáo của \5 kỳ \6 đã được tiếp nhận ngày \7 (người tiếp nhận: \8); "
     r"cán bộ tiếp nhận phải mở lại trước (kh reopen \9)"),
    (r"unit (\S+) did not exist during (\S+) \((.+)\)", r"đơn vị \1 không tồn tại trong kỳ \2 (\3)"),
])
